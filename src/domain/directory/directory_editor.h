// People changing the directory: staff browsing, editing with history and verifying in the
// console; providers confirming their openings, editing their listing and pausing or
// removing it in the provider portal. Every change is one transaction with its history row
// and its audit entry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/accounts/account_service.h"
#include "domain/audit/audit_log.h"
#include "domain/directory/directory_service.h"
#include "domain/directory/freshness.h"
#include "domain/directory/vocabulary.h"
#include "domain/keys/key_service.h"

namespace soundcheck::domain::directory {

struct ServiceSummary {
  std::string id;
  std::string name;
  std::string status;
  std::string organization_id;
  std::optional<std::string> organization_name;  // nullopt when the organization is not stored
  int64_t modified_at = 0;                       // the version for If-Match
  OpeningsView openings;
  std::optional<int64_t> verified_at;
  std::vector<VerifyItem> needs;  // why staff should check it now
};

struct ServiceDetail {
  ServiceSummary summary;
  boost::json::object nested;            // the full HSDS service
  std::vector<DirectoryChange> history;  // newest first
};

struct ServicePage {
  int64_t total = 0;
  std::vector<ServiceSummary> services;
};

// What a listing tells the Soundcheck team only: never an HSDS record, so never in /hsds or
// an export; sealed under the listing's own data key.
struct PrivateNotes {
  std::optional<std::string> staff_contact;  // how the team reaches the provider
  std::optional<std::string> waitlist_note;
  int64_t version = 0;  // 0: never saved (If-Match "0" for the first save)
  std::optional<int64_t> updated_at;
  std::string updated_by_role;
};
inline constexpr size_t kMaxPrivateNoteChars = 2000;

// The organization a provider account speaks for.
struct ProviderOrganizationView {
  std::string user_id;
  std::string organization_id;
  std::optional<std::string> organization_name;
};

// The service fields staff (or providers) may change with Edit / ProviderEdit.
std::vector<std::string> EditableFields(bool staff);

// The listing states a provider may ask for, as HSDS service statuses.
enum class ListingState { kListed, kPaused, kRemoved };
std::optional<ListingState> ParseListingState(std::string_view text);

class DirectoryEditor {
 public:
  DirectoryEditor(TransactionRunner& runner, const core::Clock& clock, core::IdGenerator& ids,
                  keys::KeyService& keys, audit::AuditLog& audit, DirectoryService& directory,
                  const Vocabulary& vocabulary, FreshnessPolicy policy)
      : runner_(runner),
        clock_(clock),
        ids_(ids),
        keys_(keys),
        audit_(audit),
        directory_(directory),
        vocabulary_(vocabulary),
        policy_(policy) {}

  // --- staff (roles are enforced by the route table) ---
  // Services matching every word of `search` (name, alternate name, description), hidden
  // ones included, in id order.
  core::Result<ServicePage> Browse(const accounts::Caller& caller, const std::string& search,
                                   int page, int per_page);
  core::Result<ServiceDetail> Detail(const accounts::Caller& caller, const std::string& id);
  // Changes the listed fields (see kEditableFields in the .cpp). kFailedPrecondition when
  // the service changed since `expected_modified_at`; kUnprocessable (with field pointers)
  // when the result would not be valid HSDS or a field may not be edited here.
  core::Result<ServiceSummary> Edit(const accounts::Caller& caller, const std::string& id,
                                    const boost::json::object& changes,
                                    int64_t expected_modified_at);
  // Records that staff checked the profile today (service.assured_date).
  core::Result<ServiceSummary> Verify(const accounts::Caller& caller, const std::string& id);
  core::Result<FreshnessReport> Freshness(const accounts::Caller& caller, int queue_limit);
  // The listing's private notes (every read is audited). kNotFound for an unknown service.
  core::Result<PrivateNotes> PrivateNotesOf(const accounts::Caller& caller, const std::string& id);
  // Replaces both notes (nullopt or "" clears one). kFailedPrecondition when the notes changed
  // since `expected_version`; kUnprocessable (with /staff_contact or /waitlist_note) when a note
  // is longer than kMaxPrivateNoteChars or holds control characters other than line breaks.
  core::Result<PrivateNotes> SetPrivateNotes(const accounts::Caller& caller, const std::string& id,
                                             const PrivateNotes& wanted, int64_t expected_version);
  // Lets a provider account speak for an organization. kNotFound for an unknown organization.
  core::Result<ProviderOrganizationView> LinkProvider(const accounts::Caller& caller,
                                                      const std::string& user_id,
                                                      const std::string& organization_id);
  // kNotFound when the account is not linked.
  core::Result<ProviderOrganizationView> ProviderLink(const accounts::Caller& caller,
                                                      const std::string& user_id);

  // --- providers: only the services of the caller's organization; others are kNotFound ---
  core::Result<std::vector<ServiceSummary>> MyServices(const accounts::Caller& caller);
  core::Result<ServiceDetail> MyService(const accounts::Caller& caller, const std::string& id);
  // "Yes, still taking clients": sets how many openings there are, confirmed now.
  core::Result<ServiceSummary> ConfirmOpenings(const accounts::Caller& caller,
                                               const std::string& id, int64_t available);
  core::Result<ServiceSummary> ProviderEdit(const accounts::Caller& caller, const std::string& id,
                                            const boost::json::object& changes,
                                            int64_t expected_modified_at);
  // The same notes for the provider's own listing.
  core::Result<PrivateNotes> MyPrivateNotes(const accounts::Caller& caller, const std::string& id);
  core::Result<PrivateNotes> SetMyPrivateNotes(const accounts::Caller& caller,
                                               const std::string& id, const PrivateNotes& wanted,
                                               int64_t expected_version);
  // Paused → HSDS status "inactive", removed → "defunct": never shown anywhere public.
  // kConflict when the listing was removed (final from the portal).
  core::Result<ServiceSummary> SetListing(const accounts::Caller& caller, const std::string& id,
                                          ListingState state);

  // --- inside a caller's transaction (the reminder job and the one-click check-in) ---
  // Every service of the organization, hidden ones included, in id order (at most 200).
  core::Result<std::vector<ServiceSummary>> OrganizationServices(
      UnitOfWork& uow, const std::string& organization_id);
  // ConfirmOpenings for a provider's own service; `available` nullopt keeps the count last
  // confirmed (0 when there was none).
  core::Result<ServiceSummary> ConfirmOpeningsIn(UnitOfWork& uow, const accounts::Caller& caller,
                                                 const std::string& id,
                                                 std::optional<int64_t> available);

  const FreshnessPolicy& policy() const { return policy_; }

 private:
  core::Result<ServiceSummary> Summarize(UnitOfWork& uow, const StoredRecord& service);
  core::Result<StoredRecord> OwnService(UnitOfWork& uow, const accounts::Caller& caller,
                                        const std::string& id);
  core::Result<ServiceSummary> ApplyEdit(UnitOfWork& uow, const accounts::Caller& caller,
                                         StoredRecord service, const boost::json::object& changes,
                                         int64_t expected_modified_at, bool staff);
  core::Status LogChange(UnitOfWork& uow, const accounts::Caller& caller, DirectoryChange change,
                         const std::string& audit_action);
  core::Status PutRecord(UnitOfWork& uow, const directory::Record& record, int64_t now);
  core::Result<PrivateNotes> LoadNotes(UnitOfWork& uow, const std::string& service_id);
  core::Result<PrivateNotes> SaveNotes(UnitOfWork& uow, const accounts::Caller& caller,
                                       const std::string& service_id, const PrivateNotes& wanted,
                                       int64_t expected_version);

  TransactionRunner& runner_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  DirectoryService& directory_;
  const Vocabulary& vocabulary_;
  FreshnessPolicy policy_;
};

}  // namespace soundcheck::domain::directory
