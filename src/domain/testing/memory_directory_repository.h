// The directory port in memory, for domain tests. Mirrors the SQL version's semantics
// (storage/repositories/sql_directory_repository.cpp); the storage contract suite checks
// the SQL side against the same expectations.
#pragma once

#include <algorithm>
#include <map>
#include <set>

#include "domain/directory/directory_repository.h"

namespace soundcheck::domain::testing {

struct MemoryDirectoryState {
  struct Row {
    directory::StoredRecord stored;
    directory::RecordIndex index;
    std::vector<directory::RecordLink> links;
  };
  std::map<std::pair<std::string, std::string>, Row> rows;  // (resource, id)
  std::vector<directory::DirectoryChange> changes;
  std::map<std::string, std::string> provider_orgs;  // user id → organization id
  std::vector<directory::ProviderNotice> notices;
  std::map<std::string, directory::PrivateNotesRecord> private_notes;
};

class MemoryDirectory final : public directory::DirectoryRepository {
 public:
  using StoredRecord = directory::StoredRecord;
  explicit MemoryDirectory(MemoryDirectoryState& s) : s_(s) {}

  core::Result<std::optional<StoredRecord>> Find(const std::string& resource,
                                                 const std::string& id) override {
    auto it = s_.rows.find({resource, id});
    if (it == s_.rows.end()) return std::optional<StoredRecord>();
    return std::optional(it->second.stored);
  }
  core::Result<std::vector<StoredRecord>> FindMany(const std::string& resource,
                                                   const std::vector<std::string>& ids) override {
    std::vector<StoredRecord> out;
    std::set<std::string> wanted(ids.begin(), ids.end());
    for (const auto& id : wanted) {
      auto it = s_.rows.find({resource, id});
      if (it != s_.rows.end()) out.push_back(it->second.stored);
    }
    return out;
  }
  core::Status Put(const directory::Record& record, const std::vector<directory::RecordLink>& links,
                   const directory::RecordIndex& index, int64_t modified_at) override {
    s_.rows[{record.resource, record.id}] = {{record, modified_at}, index, links};
    return core::Ok();
  }
  core::Result<std::vector<StoredRecord>> LinkedTo(
      const std::vector<std::string>& targets, const std::vector<std::string>& resources,
      const std::vector<std::string>& fields) override {
    std::set<std::string> wanted(targets.begin(), targets.end());
    std::vector<StoredRecord> out;
    for (const auto& [key, row] : s_.rows) {
      if (std::find(resources.begin(), resources.end(), key.first) == resources.end()) continue;
      if (std::any_of(row.links.begin(), row.links.end(), [&](const auto& l) {
            return wanted.count(l.target_id) > 0 &&
                   std::find(fields.begin(), fields.end(), l.field) != fields.end();
          })) {
        out.push_back(row.stored);
      }
    }
    return out;
  }
  core::Result<std::vector<StoredRecord>> List(const std::string& resource,
                                               const std::string& after_id, int limit) override {
    std::vector<StoredRecord> out;
    for (auto it = s_.rows.upper_bound({resource, after_id});
         it != s_.rows.end() && it->first.first == resource && static_cast<int>(out.size()) < limit;
         ++it) {
      out.push_back(it->second.stored);
    }
    return out;
  }
  core::Result<directory::RecordPage> Query(const directory::RecordQuery& q) override {
    directory::RecordPage page;
    int64_t after = 0;  // matching records past after_id, for the offset
    for (const auto& [key, row] : s_.rows) {
      if (key.first != q.resource || !Matches(row, q)) continue;
      ++page.total;
      if (!q.after_id.empty() && key.second <= q.after_id) continue;
      if (after++ >= q.offset && static_cast<int>(page.records.size()) < q.limit) {
        page.records.push_back(row.stored);
      }
    }
    if (!q.with_total) page.total = 0;
    return page;
  }
  core::Result<std::vector<std::pair<std::string, std::pair<double, double>>>> LocationsInBox(
      double min_lat, double max_lat, double min_lon, double max_lon) override {
    std::vector<std::pair<std::string, std::pair<double, double>>> out;
    for (const auto& [key, row] : s_.rows) {
      if (key.first != "location" || !row.index.latitude || !row.index.longitude) continue;
      double lat = *row.index.latitude, lon = *row.index.longitude;
      if (lat >= min_lat && lat <= max_lat && lon >= min_lon && lon <= max_lon) {
        out.push_back({key.second, {lat, lon}});
      }
    }
    return out;
  }
  core::Result<std::vector<std::string>> LocationsWithPostcode(
      const std::string& postcode) override {
    std::set<std::string> out;
    for (const auto& [key, row] : s_.rows) {
      if (key.first != "address" || row.index.search_text != postcode) continue;
      if (auto l = LinkOf(row, "location_id")) out.insert(*l);
    }
    return std::vector<std::string>(out.begin(), out.end());
  }
  core::Result<std::vector<directory::DanglingLink>> Dangling(int limit) override {
    std::vector<directory::DanglingLink> out;
    for (const auto& [key, row] : s_.rows) {
      for (const auto& l : row.links) {
        if (static_cast<int>(out.size()) >= limit) return out;
        if (!s_.rows.count({l.target_resource, l.target_id})) {
          out.push_back({key.first, key.second, l.field, l.target_resource, l.target_id});
        }
      }
    }
    return out;
  }
  core::Status AppendChange(const directory::DirectoryChange& change) override {
    s_.changes.push_back(change);
    s_.changes.back().seq = static_cast<int64_t>(s_.changes.size());
    return core::Ok();
  }
  core::Result<std::vector<directory::DirectoryChange>> Changes(const std::string& service_id,
                                                                int limit) override {
    std::vector<directory::DirectoryChange> out;
    for (auto it = s_.changes.rbegin();
         it != s_.changes.rend() && static_cast<int>(out.size()) < limit; ++it) {
      if (it->service_id == service_id) out.push_back(*it);
    }
    return out;
  }
  core::Result<std::optional<std::string>> ProviderOrganization(
      const std::string& user_id) override {
    auto it = s_.provider_orgs.find(user_id);
    if (it == s_.provider_orgs.end()) return std::optional<std::string>();
    return std::optional(it->second);
  }
  core::Status SetProviderOrganization(const std::string& user_id,
                                       const std::string& organization_id, int64_t,
                                       const std::string&) override {
    s_.provider_orgs[user_id] = organization_id;
    return core::Ok();
  }
  core::Result<std::vector<directory::ProviderLink>> ProviderLinks(const std::string& after,
                                                                   int limit) override {
    std::vector<directory::ProviderLink> out;
    for (auto it = s_.provider_orgs.upper_bound(after);
         it != s_.provider_orgs.end() && static_cast<int>(out.size()) < limit; ++it) {
      out.push_back({it->first, it->second});
    }
    return out;
  }
  core::Result<std::optional<directory::PrivateNotesRecord>> FindPrivateNotes(
      const std::string& service_id) override {
    auto it = s_.private_notes.find(service_id);
    if (it == s_.private_notes.end()) return std::optional<directory::PrivateNotesRecord>();
    return std::optional(it->second);
  }
  core::Status PutPrivateNotes(const directory::PrivateNotesRecord& notes) override {
    s_.private_notes[notes.service_id] = notes;
    return core::Ok();
  }
  core::Status LockProviderLink(const std::string&) override { return core::Ok(); }
  core::Status AddNotice(const directory::ProviderNotice& notice) override {
    s_.notices.push_back(notice);
    return core::Ok();
  }
  core::Result<std::optional<int64_t>> LastNotice(const std::string& kind,
                                                  const std::string& user_id,
                                                  const std::string& service_id) override {
    std::optional<int64_t> last;
    for (const auto& n : s_.notices) {
      if (n.kind == kind && n.user_id == user_id && n.service_id == service_id &&
          (!last || n.created_at > *last)) {
        last = n.created_at;
      }
    }
    return last;
  }
  core::Result<std::optional<directory::ProviderNotice>> UseCheckin(const std::string& token_hash,
                                                                    int64_t now) override {
    for (auto& n : s_.notices) {
      if (n.kind == "checkin" && !n.token_hash.empty() && n.token_hash == token_hash &&
          !n.used_at && now < n.expires_at) {
        n.used_at = now;
        return std::optional(n);
      }
    }
    return std::optional<directory::ProviderNotice>();
  }
  core::Result<std::map<std::string, int64_t>> Counts() override {
    std::map<std::string, int64_t> out;
    for (const auto& [key, row] : s_.rows) ++out[key.first];
    return out;
  }

 private:
  static std::optional<std::string> LinkOf(const MemoryDirectoryState::Row& row,
                                           std::string_view field) {
    for (const auto& l : row.links) {
      if (l.field == field) return l.target_id;
    }
    return std::nullopt;
  }
  const MemoryDirectoryState::Row* Get(const std::string& resource,
                                       const std::optional<std::string>& id) const {
    if (!id) return nullptr;
    auto it = s_.rows.find({resource, *id});
    return it == s_.rows.end() ? nullptr : &it->second;
  }
  bool Matches(const MemoryDirectoryState::Row& row, const directory::RecordQuery& q) const {
    const bool sal = q.resource == "service_at_location";
    const auto* service = sal ? Get("service", LinkOf(row, "service_id")) : &row;
    for (const auto& w : q.words) {
      if (service == nullptr || service->index.search_text.find(w) == std::string::npos) {
        return false;
      }
    }
    const std::string subject = sal ? LinkOf(row, "service_id").value_or("") : row.stored.record.id;
    if (!q.taxonomy_term_id.empty()) {
      bool found = false;
      for (const auto& [key, other] : s_.rows) {
        if (key.first == "attribute" && LinkOf(other, "link_id") == subject &&
            LinkOf(other, "taxonomy_term_id") == q.taxonomy_term_id) {
          found = true;
        }
      }
      if (!found) return false;
    }
    if (!q.taxonomy_id.empty()) {
      bool found = false;
      if (q.resource == "taxonomy_term") {
        found = LinkOf(row, "taxonomy_id") == q.taxonomy_id;
      } else {
        for (const auto& [key, other] : s_.rows) {
          if (key.first != "attribute" || LinkOf(other, "link_id") != subject) continue;
          const auto* term = Get("taxonomy_term", LinkOf(other, "taxonomy_term_id"));
          if (term != nullptr && LinkOf(*term, "taxonomy_id") == q.taxonomy_id) found = true;
        }
      }
      if (!found) return false;
    }
    if (!q.organization_id.empty()) {
      const auto* owner = sal ? service : &row;
      if (owner == nullptr || LinkOf(*owner, "organization_id") != q.organization_id) return false;
    }
    if (q.modified_after && row.stored.modified_at < *q.modified_after) return false;
    if (q.location_ids) {
      auto l = LinkOf(row, "location_id");
      if (!l ||
          std::find(q.location_ids->begin(), q.location_ids->end(), *l) == q.location_ids->end()) {
        return false;
      }
    }
    if (q.visible_only && (q.resource == "service" || sal) && service != nullptr &&
        service->index.hidden) {
      return false;
    }
    return true;
  }
  MemoryDirectoryState& s_;
};

}  // namespace soundcheck::domain::testing
