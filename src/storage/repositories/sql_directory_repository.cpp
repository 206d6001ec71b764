#include "storage/repositories/sql_directory_repository.h"

#include "core/json_text.h"

namespace soundcheck::storage {

namespace json = boost::json;
using core::Error;
using domain::directory::DanglingLink;
using domain::directory::Record;
using domain::directory::RecordPage;
using domain::directory::StoredRecord;

namespace {

constexpr const char* kColumns = "resource, id, fields, modified_at";

Result<StoredRecord> ToStored(const Row& r) {
  StoredRecord s;
  s.record.resource = r.Text(0).value_or("");
  s.record.id = r.Text(1).value_or("");
  boost::system::error_code ec;
  json::value fields = json::parse(r.Text(2).value_or(""), ec);
  if (ec || !fields.is_object()) {
    // Only this code writes the column; a row that does not parse is damage, not input.
    return Error::Internal("directory record " + s.record.resource + " " + s.record.id +
                           " holds unreadable fields");
  }
  s.record.fields = std::move(fields.get_object());
  s.modified_at = r.Int(3).value_or(0);
  return s;
}

Result<std::vector<StoredRecord>> AllStored(Result<Rows> rows) {
  if (!rows) return std::move(rows).error();
  std::vector<StoredRecord> out;
  out.reserve(rows->size());
  for (const auto& r : rows->rows) {
    SC_ASSIGN_OR_RETURN(auto s, ToStored(r));
    out.push_back(std::move(s));
  }
  return out;
}

// "?, ?, ?" for n parameters.
std::string Marks(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// IN lists are sent in chunks, well under SQLite's and libpq's parameter limits.
constexpr size_t kChunk = 500;

}  // namespace

Result<std::optional<StoredRecord>> SqlDirectory::Find(const std::string& resource,
                                                       const std::string& id) {
  SC_ASSIGN_OR_RETURN(auto rows, tx_.Query(std::string("SELECT ") + kColumns +
                                               " FROM hsds_records WHERE resource = ? AND id = ?",
                                           {resource, id}));
  if (rows.empty()) return std::optional<StoredRecord>();
  SC_ASSIGN_OR_RETURN(auto s, ToStored(rows.rows[0]));
  return std::optional<StoredRecord>(std::move(s));
}

Result<std::vector<StoredRecord>> SqlDirectory::FindMany(const std::string& resource,
                                                         const std::vector<std::string>& ids) {
  std::vector<StoredRecord> out;
  for (size_t start = 0; start < ids.size(); start += kChunk) {
    const size_t n = std::min(kChunk, ids.size() - start);
    std::vector<Value> params{resource};
    for (size_t i = 0; i < n; ++i) params.emplace_back(ids[start + i]);
    SC_ASSIGN_OR_RETURN(
        auto part, AllStored(tx_.Query(std::string("SELECT ") + kColumns +
                                           " FROM hsds_records WHERE resource = ? AND id IN (" +
                                           Marks(n) + ") ORDER BY id",
                                       params)));
    for (auto& s : part) out.push_back(std::move(s));
  }
  return out;
}

Status SqlDirectory::Put(const Record& record,
                         const std::vector<domain::directory::RecordLink>& links,
                         const domain::directory::RecordIndex& index, int64_t modified_at) {
  auto opt = [](const std::optional<double>& v) { return v ? Value(*v) : Value(Null{}); };
  SC_RETURN_IF_ERROR(tx_.Execute(
      "INSERT INTO hsds_records (resource, id, fields, modified_at, hidden, search_text, "
      "latitude, longitude) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (resource, id) DO "
      "UPDATE SET fields = excluded.fields, modified_at = excluded.modified_at, "
      "hidden = excluded.hidden, search_text = excluded.search_text, "
      "latitude = excluded.latitude, longitude = excluded.longitude",
      {record.resource, record.id, core::JsonText(record.fields), modified_at,
       int64_t{index.hidden ? 1 : 0}, index.search_text, opt(index.latitude),
       opt(index.longitude)}));
  SC_RETURN_IF_ERROR(tx_.Execute("DELETE FROM hsds_links WHERE resource = ? AND id = ?",
                                 {record.resource, record.id}));
  for (const auto& link : links) {
    SC_RETURN_IF_ERROR(tx_.Execute(
        "INSERT INTO hsds_links (resource, id, field, target_resource, target_id) "
        "VALUES (?, ?, ?, ?, ?)",
        {record.resource, record.id, link.field, link.target_resource, link.target_id}));
  }
  return core::Ok();
}

Result<std::vector<StoredRecord>> SqlDirectory::LinkedTo(const std::vector<std::string>& targets,
                                                         const std::vector<std::string>& resources,
                                                         const std::vector<std::string>& fields) {
  std::vector<StoredRecord> out;
  if (fields.empty() || resources.empty()) return out;
  for (size_t start = 0; start < targets.size(); start += kChunk) {
    const size_t n = std::min(kChunk, targets.size() - start);
    std::vector<Value> params;
    for (size_t i = 0; i < n; ++i) params.emplace_back(targets[start + i]);
    for (const auto& f : fields) params.emplace_back(f);
    for (const auto& r : resources) params.emplace_back(r);
    // Driven from the links' target index. Each record once (a contact may point at a
    // service and at its location in one request), deduplicated by its key rather than by
    // DISTINCT over whole rows, which compared every record's JSON text.
    SC_ASSIGN_OR_RETURN(
        auto part,
        AllStored(tx_.Query("SELECT r.resource, r.id, r.fields, r.modified_at FROM hsds_records r "
                            "WHERE (r.resource, r.id) IN (SELECT l.resource, l.id FROM "
                            "hsds_links l WHERE l.target_id IN (" +
                                Marks(n) + ") AND l.field IN (" + Marks(fields.size()) +
                                ") AND l.resource IN (" + Marks(resources.size()) +
                                ")) ORDER BY r.resource, r.id",
                            params)));
    for (auto& s : part) out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<StoredRecord>> SqlDirectory::List(const std::string& resource,
                                                     const std::string& after_id, int limit) {
  return AllStored(tx_.Query(std::string("SELECT ") + kColumns +
                                 " FROM hsds_records WHERE resource = ? AND id > ? ORDER BY id "
                                 "LIMIT ?",
                             {resource, after_id, int64_t{limit}}));
}

Result<RecordPage> SqlDirectory::Query(const domain::directory::RecordQuery& q) {
  std::string where = "r.resource = ?";
  std::vector<Value> params{q.resource};
  for (const auto& word : q.words) {
    // A service_at_location is found by its service's words.
    if (q.resource == "service_at_location") {
      where +=
          " AND EXISTS (SELECT 1 FROM hsds_links ls JOIN hsds_records s ON s.resource = "
          "'service' AND s.id = ls.target_id WHERE ls.resource = r.resource AND ls.id = r.id "
          "AND ls.field = 'service_id' AND s.search_text LIKE ?)";
    } else {
      where += " AND r.search_text LIKE ?";
    }
    params.emplace_back("%" + word + "%");
  }
  if (!q.taxonomy_term_id.empty()) {
    const char* subject = q.resource == "service_at_location"
                              ? "(SELECT ls.target_id FROM hsds_links ls WHERE ls.resource = "
                                "r.resource AND ls.id = r.id AND ls.field = 'service_id')"
                              : "r.id";
    where += std::string(
                 " AND EXISTS (SELECT 1 FROM hsds_links la JOIN hsds_links lt ON lt.resource = "
                 "'attribute' AND lt.id = la.id AND lt.field = 'taxonomy_term_id' WHERE "
                 "la.resource = 'attribute' AND la.field = 'link_id' AND la.target_id = ") +
             subject + " AND lt.target_id = ?)";
    params.emplace_back(q.taxonomy_term_id);
  }
  if (!q.taxonomy_id.empty()) {
    if (q.resource == "taxonomy_term") {
      where +=
          " AND EXISTS (SELECT 1 FROM hsds_links lx WHERE lx.resource = r.resource AND lx.id = "
          "r.id AND lx.field = 'taxonomy_id' AND lx.target_id = ?)";
    } else {
      const char* subject = q.resource == "service_at_location"
                                ? "(SELECT ls.target_id FROM hsds_links ls WHERE ls.resource = "
                                  "r.resource AND ls.id = r.id AND ls.field = 'service_id')"
                                : "r.id";
      where += std::string(
                   " AND EXISTS (SELECT 1 FROM hsds_links la JOIN hsds_links lt ON lt.resource = "
                   "'attribute' AND lt.id = la.id AND lt.field = 'taxonomy_term_id' JOIN "
                   "hsds_links lx ON lx.resource = 'taxonomy_term' AND lx.id = lt.target_id AND "
                   "lx.field = 'taxonomy_id' WHERE la.resource = 'attribute' AND la.field = "
                   "'link_id' AND la.target_id = ") +
               subject + " AND lx.target_id = ?)";
    }
    params.emplace_back(q.taxonomy_id);
  }
  if (!q.organization_id.empty()) {
    if (q.resource == "service_at_location") {
      where +=
          " AND EXISTS (SELECT 1 FROM hsds_links ls JOIN hsds_links lo ON lo.resource = "
          "'service' AND lo.id = ls.target_id AND lo.field = 'organization_id' WHERE "
          "ls.resource = r.resource AND ls.id = r.id AND ls.field = 'service_id' AND "
          "lo.target_id = ?)";
    } else {
      where +=
          " AND EXISTS (SELECT 1 FROM hsds_links lo WHERE lo.resource = r.resource AND lo.id = "
          "r.id AND lo.field = 'organization_id' AND lo.target_id = ?)";
    }
    params.emplace_back(q.organization_id);
  }
  if (q.modified_after) {
    where += " AND r.modified_at >= ?";
    params.emplace_back(*q.modified_after);
  }
  if (q.location_ids) {
    if (q.location_ids->empty()) return RecordPage{};
    where +=
        " AND EXISTS (SELECT 1 FROM hsds_links ll WHERE ll.resource = r.resource AND ll.id = "
        "r.id AND ll.field = 'location_id' AND ll.target_id IN (" +
        Marks(q.location_ids->size()) + "))";
    for (const auto& id : *q.location_ids) params.emplace_back(id);
  }
  if (q.visible_only) {
    if (q.resource == "service") {
      where += " AND r.hidden = 0";
    } else if (q.resource == "service_at_location") {
      where +=
          " AND NOT EXISTS (SELECT 1 FROM hsds_links ls JOIN hsds_records s ON s.resource = "
          "'service' AND s.id = ls.target_id WHERE ls.resource = r.resource AND ls.id = r.id AND "
          "ls.field = 'service_id' AND s.hidden = 1)";
    }
  }
  RecordPage page;
  if (q.with_total) {
    SC_ASSIGN_OR_RETURN(auto count,
                        tx_.Query("SELECT COUNT(*) FROM hsds_records r WHERE " + where, params));
    page.total = count.empty() ? 0 : count.rows[0].Int(0).value_or(0);
  }
  // Keyset paging (after the count: the total is of the whole list, not of what is left).
  if (!q.after_id.empty()) {
    where += " AND r.id > ?";
    params.emplace_back(q.after_id);
  }
  params.emplace_back(int64_t{q.limit});
  params.emplace_back(q.offset);
  SC_ASSIGN_OR_RETURN(page.records,
                      AllStored(tx_.Query("SELECT r.resource, r.id, r.fields, r.modified_at FROM "
                                          "hsds_records r WHERE " +
                                              where + " ORDER BY r.id LIMIT ? OFFSET ?",
                                          params)));
  return page;
}

Result<std::vector<std::pair<std::string, std::pair<double, double>>>> SqlDirectory::LocationsInBox(
    double min_lat, double max_lat, double min_lon, double max_lon) {
  SC_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT id, latitude, longitude FROM hsds_records "
                                           "WHERE resource = 'location' AND latitude IS NOT NULL "
                                           "AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? "
                                           "AND ?",
                                           {min_lat, max_lat, min_lon, max_lon}));
  std::vector<std::pair<std::string, std::pair<double, double>>> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Text(0).value_or(""), {r.Real(1).value_or(0), r.Real(2).value_or(0)}});
  }
  return out;
}

Result<std::vector<std::string>> SqlDirectory::LocationsWithPostcode(const std::string& postcode) {
  SC_ASSIGN_OR_RETURN(auto rows,
                      tx_.Query("SELECT DISTINCT l.target_id FROM hsds_records a JOIN hsds_links l "
                                "ON l.resource = a.resource AND l.id = a.id AND l.field = "
                                "'location_id' WHERE a.resource = 'address' AND a.search_text = ? "
                                "ORDER BY l.target_id",
                                {postcode}));
  std::vector<std::string> out;
  for (const auto& r : rows.rows) out.push_back(r.Text(0).value_or(""));
  return out;
}

Result<std::vector<DanglingLink>> SqlDirectory::Dangling(int limit) {
  SC_ASSIGN_OR_RETURN(auto rows,
                      tx_.Query("SELECT l.resource, l.id, l.field, l.target_resource, l.target_id "
                                "FROM hsds_links l WHERE NOT EXISTS (SELECT 1 FROM hsds_records t "
                                "WHERE t.resource = l.target_resource AND t.id = l.target_id) "
                                "ORDER BY l.resource, l.id, l.field LIMIT ?",
                                {int64_t{limit}}));
  std::vector<DanglingLink> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Text(0).value_or(""), r.Text(1).value_or(""), r.Text(2).value_or(""),
                   r.Text(3).value_or(""), r.Text(4).value_or("")});
  }
  return out;
}

Result<std::map<std::string, int64_t>> SqlDirectory::Counts() {
  SC_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT resource, COUNT(*) FROM hsds_records GROUP BY "
                                           "resource ORDER BY resource"));
  std::map<std::string, int64_t> out;
  for (const auto& r : rows.rows) out[r.Text(0).value_or("")] = r.Int(1).value_or(0);
  return out;
}

Status SqlDirectory::AppendChange(const domain::directory::DirectoryChange& c) {
  SC_RETURN_IF_ERROR(tx_.Execute(
      "INSERT INTO directory_changes (at, actor_id, actor_role, service_id, resource, "
      "record_id, action, field, before_value, after_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?)",
      {c.at, c.actor_id, c.actor_role, c.service_id, c.resource, c.record_id, c.action, c.field,
       c.before, c.after}));
  return core::Ok();
}

Result<std::vector<domain::directory::DirectoryChange>> SqlDirectory::Changes(
    const std::string& service_id, int limit) {
  SC_ASSIGN_OR_RETURN(auto rows,
                      tx_.Query("SELECT seq, at, actor_id, actor_role, service_id, resource, "
                                "record_id, action, field, before_value, after_value FROM "
                                "directory_changes WHERE service_id = ? ORDER BY seq DESC LIMIT ?",
                                {service_id, int64_t{limit}}));
  std::vector<domain::directory::DirectoryChange> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0).value_or(0), r.Int(1).value_or(0), r.Text(2).value_or(""),
                   r.Text(3).value_or(""), r.Text(4).value_or(""), r.Text(5).value_or(""),
                   r.Text(6).value_or(""), r.Text(7).value_or(""), r.Text(8).value_or(""),
                   r.Text(9).value_or(""), r.Text(10).value_or("")});
  }
  return out;
}

Result<std::optional<std::string>> SqlDirectory::ProviderOrganization(const std::string& user_id) {
  SC_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT organization_id FROM provider_organizations "
                                           "WHERE user_id = ?",
                                           {user_id}));
  if (rows.empty()) return std::optional<std::string>();
  return rows.rows[0].Text(0);
}

Status SqlDirectory::SetProviderOrganization(const std::string& user_id,
                                             const std::string& organization_id, int64_t at,
                                             const std::string& by) {
  SC_RETURN_IF_ERROR(tx_.Execute(
      "INSERT INTO provider_organizations (user_id, organization_id, linked_at, linked_by) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET organization_id = "
      "excluded.organization_id, linked_at = excluded.linked_at, linked_by = "
      "excluded.linked_by",
      {user_id, organization_id, at, by}));
  return core::Ok();
}

Result<std::vector<domain::directory::ProviderLink>> SqlDirectory::ProviderLinks(
    const std::string& after, int limit) {
  SC_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT user_id, organization_id FROM "
                                           "provider_organizations WHERE user_id > ? ORDER BY "
                                           "user_id LIMIT ?",
                                           {after, static_cast<int64_t>(limit)}));
  std::vector<domain::directory::ProviderLink> out;
  for (const auto& r : rows.rows) out.push_back({*r.Text(0), *r.Text(1)});
  return out;
}

Result<std::optional<domain::directory::PrivateNotesRecord>> SqlDirectory::FindPrivateNotes(
    const std::string& service_id) {
  SC_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT staff_contact_sealed, waitlist_note_sealed, "
                                           "version, updated_at, updated_by, updated_by_role "
                                           "FROM directory_private WHERE service_id = ?",
                                           {service_id}));
  if (rows.empty()) return std::optional<domain::directory::PrivateNotesRecord>();
  const auto& r = rows.rows[0];
  domain::directory::PrivateNotesRecord n;
  n.service_id = service_id;
  n.staff_contact_sealed = r.Bytes(0).value_or("");
  n.waitlist_note_sealed = r.Bytes(1).value_or("");
  n.version = r.Int(2).value_or(0);
  n.updated_at = r.Int(3).value_or(0);
  n.updated_by = r.Text(4).value_or("");
  n.updated_by_role = r.Text(5).value_or("");
  return std::optional(std::move(n));
}

Status SqlDirectory::PutPrivateNotes(const domain::directory::PrivateNotesRecord& n) {
  SC_RETURN_IF_ERROR(tx_.Execute(
      "INSERT INTO directory_private (service_id, staff_contact_sealed, waitlist_note_sealed, "
      "version, updated_at, updated_by, updated_by_role) VALUES (?, ?, ?, ?, ?, ?, ?) ON "
      "CONFLICT (service_id) DO UPDATE SET staff_contact_sealed = "
      "excluded.staff_contact_sealed, waitlist_note_sealed = excluded.waitlist_note_sealed, "
      "version = excluded.version, updated_at = excluded.updated_at, updated_by = "
      "excluded.updated_by, updated_by_role = excluded.updated_by_role",
      {n.service_id, Blob{n.staff_contact_sealed}, Blob{n.waitlist_note_sealed}, n.version,
       n.updated_at, n.updated_by, n.updated_by_role}));
  return core::Ok();
}

Status SqlDirectory::LockProviderLink(const std::string& user_id) {
  // A no-op update takes the row lock on PostgreSQL (SQLite has one writer anyway).
  SC_RETURN_IF_ERROR(tx_.Execute(
      "UPDATE provider_organizations SET linked_at = linked_at WHERE user_id = ?", {user_id}));
  return core::Ok();
}

Status SqlDirectory::AddNotice(const domain::directory::ProviderNotice& n) {
  // Reminders have no token: NULL keeps the unique index to real tokens.
  Value token = n.token_hash.empty() ? Value(Null{}) : Value(n.token_hash);
  SC_RETURN_IF_ERROR(tx_.Execute(
      "INSERT INTO provider_notices (id, kind, user_id, service_id, token_hash, created_at, "
      "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {n.id, n.kind, n.user_id, n.service_id, token, n.created_at, n.expires_at}));
  return core::Ok();
}

Result<std::optional<int64_t>> SqlDirectory::LastNotice(const std::string& kind,
                                                        const std::string& user_id,
                                                        const std::string& service_id) {
  SC_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT MAX(created_at) FROM provider_notices WHERE "
                                           "kind = ? AND user_id = ? AND service_id = ?",
                                           {kind, user_id, service_id}));
  if (rows.empty() || rows.rows[0].IsNull(0)) return std::optional<int64_t>();
  return rows.rows[0].Int(0);
}

Result<std::optional<domain::directory::ProviderNotice>> SqlDirectory::UseCheckin(
    const std::string& token_hash, int64_t now) {
  SC_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query("UPDATE provider_notices SET used_at = ? WHERE token_hash = ? AND kind = "
                "'checkin' AND used_at IS NULL AND expires_at > ? RETURNING id, kind, user_id, "
                "service_id, created_at, expires_at",
                {now, token_hash, now}));
  if (rows.empty()) return std::optional<domain::directory::ProviderNotice>();
  const auto& r = rows.rows[0];
  domain::directory::ProviderNotice n;
  n.id = r.Text(0).value_or("");
  n.kind = r.Text(1).value_or("");
  n.user_id = r.Text(2).value_or("");
  n.service_id = r.Text(3).value_or("");
  n.token_hash = token_hash;
  n.created_at = r.Int(4).value_or(0);
  n.expires_at = r.Int(5).value_or(0);
  n.used_at = now;
  return std::optional(std::move(n));
}

}  // namespace soundcheck::storage
