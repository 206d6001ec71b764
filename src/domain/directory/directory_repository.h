// The directory's storage port: HSDS records in tabular form, the keys between them, and
// the few derived columns the HSDS API filters on. storage/ implements it in SQL; the
// in-memory version for domain tests is in domain/testing/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/directory/record.h"

namespace soundcheck::domain::directory {

struct StoredRecord {
  Record record;
  int64_t modified_at = 0;  // unix seconds of the last change that altered the fields
};

// A foreign key of a record: `field` holds `target_id`, a record of `target_resource`.
struct RecordLink {
  std::string field;
  std::string target_resource;
  std::string target_id;
};

// Derived columns, computed by the domain from the record (the port stores, never derives).
struct RecordIndex {
  std::string search_text;  // lower-case words (services, organizations); postal code (address)
  std::optional<double> latitude;  // locations
  std::optional<double> longitude;
  bool hidden = false;  // a service not to be shown: inactive, defunct, or paused by request
};

struct DanglingLink {
  std::string resource;
  std::string id;
  std::string field;
  std::string target_resource;
  std::string target_id;
};

// A page of records for the HSDS API's list endpoints.
struct RecordQuery {
  std::string resource;            // "service", "organization", "service_at_location", ...
  std::vector<std::string> words;  // each must appear in search_text (lower case)
  std::string taxonomy_term_id;    // has an attribute with this term
  // has an attribute with a term of this taxonomy (taxonomy_terms: belongs to it)
  std::string taxonomy_id;
  std::string organization_id;  // services / service_at_locations of this organization
  std::optional<int64_t> modified_after;
  std::optional<std::vector<std::string>> location_ids;  // service_at_locations at these
  bool visible_only = true;  // leave out hidden services (and their service_at_locations)
  // Keyset paging: only records whose id sorts after this one (empty: from the start).
  // RecordPage::total still counts the whole list, as it ignores offset and limit.
  std::string after_id;
  bool with_total = true;  // false: RecordPage::total is left 0 (saves a count per batch)
  int64_t offset = 0;
  int limit = 50;
};

struct RecordPage {
  int64_t total = 0;
  std::vector<StoredRecord> records;
};

// One field changed by a person (the console or the provider portal): who, when, what.
// Imports are recorded as one row per import (action "import", field = the source name).
struct DirectoryChange {
  int64_t seq = 0;  // assigned by storage
  int64_t at = 0;
  std::string actor_id;
  std::string actor_role;
  std::string service_id;  // the listing the change belongs to (may be empty for imports)
  std::string resource;
  std::string record_id;
  std::string action;  // "edit", "verify", "openings", "listing", "import"
  std::string field;
  std::string before;  // JSON text of the old value ("" when there was none)
  std::string after;
};

// A mail the reminder job sent a provider about one listing: the weekly "still taking
// clients?" check-in (kind "checkin", with the hash of its single-use link's token) or a
// licence / profile reminder (kind "reminder", no token).
struct ProviderNotice {
  std::string id;
  std::string kind;
  std::string user_id;
  std::string service_id;
  std::string token_hash;  // "" for reminders
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> used_at;
};

// What a listing tells the Soundcheck team only (sealed; never an HSDS record).
struct PrivateNotesRecord {
  std::string service_id;
  std::string staff_contact_sealed;
  std::string waitlist_note_sealed;
  int64_t version = 0;
  int64_t updated_at = 0;
  std::string updated_by;
  std::string updated_by_role;
};

// A provider account and the organization it speaks for.
struct ProviderLink {
  std::string user_id;
  std::string organization_id;
};

class DirectoryRepository {
 public:
  virtual ~DirectoryRepository() = default;
  virtual core::Result<std::optional<StoredRecord>> Find(const std::string& resource,
                                                         const std::string& id) = 0;
  virtual core::Result<std::vector<StoredRecord>> FindMany(const std::string& resource,
                                                           const std::vector<std::string>& ids) = 0;
  // Inserts or replaces the record, its links and its derived columns.
  virtual core::Status Put(const Record& record, const std::vector<RecordLink>& links,
                           const RecordIndex& index, int64_t modified_at) = 0;
  // Every record of one of `resources` whose key `field` (one of `fields`) points at one
  // of `target_ids`: the children of those records ("phone" by "service_id", ...).
  virtual core::Result<std::vector<StoredRecord>> LinkedTo(
      const std::vector<std::string>& target_ids, const std::vector<std::string>& resources,
      const std::vector<std::string>& fields) = 0;
  // Records of `resource` ordered by id, after `after_id` (empty: from the start).
  virtual core::Result<std::vector<StoredRecord>> List(const std::string& resource,
                                                       const std::string& after_id, int limit) = 0;
  virtual core::Result<RecordPage> Query(const RecordQuery& query) = 0;
  // Location ids with coordinates inside the box.
  virtual core::Result<std::vector<std::pair<std::string, std::pair<double, double>>>>
  LocationsInBox(double min_lat, double max_lat, double min_lon, double max_lon) = 0;
  // Locations that have an address with this (normalised) postal code.
  virtual core::Result<std::vector<std::string>> LocationsWithPostcode(
      const std::string& postcode) = 0;
  // Keys whose target record is not stored, at most `limit`.
  virtual core::Result<std::vector<DanglingLink>> Dangling(int limit) = 0;
  // Number of records of each resource.
  virtual core::Result<std::map<std::string, int64_t>> Counts() = 0;

  // Change history, newest first.
  virtual core::Status AppendChange(const DirectoryChange& change) = 0;
  virtual core::Result<std::vector<DirectoryChange>> Changes(const std::string& service_id,
                                                             int limit) = 0;
  // Which organization a provider account speaks for (set by staff).
  virtual core::Result<std::optional<std::string>> ProviderOrganization(
      const std::string& user_id) = 0;
  virtual core::Status SetProviderOrganization(const std::string& user_id,
                                               const std::string& organization_id, int64_t at,
                                               const std::string& by) = 0;
  // Every provider link, by user id, after `after_user_id`.
  virtual core::Result<std::vector<ProviderLink>> ProviderLinks(const std::string& after_user_id,
                                                                int limit) = 0;

  // A listing's private notes; nullopt when none were ever saved.
  virtual core::Result<std::optional<PrivateNotesRecord>> FindPrivateNotes(
      const std::string& service_id) = 0;
  // Inserts or replaces (the caller checked the version).
  virtual core::Status PutPrivateNotes(const PrivateNotesRecord& notes) = 0;
  // Holds the provider link's row until the transaction ends, so two nodes' reminder jobs
  // deciding for the same account take turns (the second then sees the first's notices).
  virtual core::Status LockProviderLink(const std::string& user_id) = 0;
  // Reminder mails sent to providers.
  virtual core::Status AddNotice(const ProviderNotice& notice) = 0;
  // When the newest notice of `kind` for this user and listing was sent.
  virtual core::Result<std::optional<int64_t>> LastNotice(const std::string& kind,
                                                          const std::string& user_id,
                                                          const std::string& service_id) = 0;
  // Marks an unused, unexpired check-in used at `now` and returns it; nullopt when the
  // token is unknown, used or expired (one statement, so a link works exactly once).
  virtual core::Result<std::optional<ProviderNotice>> UseCheckin(const std::string& token_hash,
                                                                 int64_t now) = 0;
};

}  // namespace soundcheck::domain::directory
