// The provider directory's HSDS records in SQL (migration 0010).
#pragma once

#include "domain/directory/directory_repository.h"
#include "storage/database.h"

namespace soundcheck::storage {

class SqlDirectory final : public domain::directory::DirectoryRepository {
 public:
  explicit SqlDirectory(Transaction& tx) : tx_(tx) {}
  using StoredRecord = domain::directory::StoredRecord;
  Result<std::optional<StoredRecord>> Find(const std::string& resource,
                                           const std::string& id) override;
  Result<std::vector<StoredRecord>> FindMany(const std::string& resource,
                                             const std::vector<std::string>& ids) override;
  Status Put(const domain::directory::Record& record,
             const std::vector<domain::directory::RecordLink>& links,
             const domain::directory::RecordIndex& index, int64_t modified_at) override;
  Result<std::vector<StoredRecord>> LinkedTo(const std::vector<std::string>& target_ids,
                                             const std::vector<std::string>& resources,
                                             const std::vector<std::string>& fields) override;
  Result<std::vector<StoredRecord>> List(const std::string& resource, const std::string& after_id,
                                         int limit) override;
  Result<domain::directory::RecordPage> Query(const domain::directory::RecordQuery& q) override;
  Result<std::vector<std::pair<std::string, std::pair<double, double>>>> LocationsInBox(
      double min_lat, double max_lat, double min_lon, double max_lon) override;
  Result<std::vector<std::string>> LocationsWithPostcode(const std::string& postcode) override;
  Result<std::vector<domain::directory::DanglingLink>> Dangling(int limit) override;
  Result<std::map<std::string, int64_t>> Counts() override;
  Status AppendChange(const domain::directory::DirectoryChange& change) override;
  Result<std::vector<domain::directory::DirectoryChange>> Changes(const std::string& service_id,
                                                                  int limit) override;
  Result<std::optional<std::string>> ProviderOrganization(const std::string& user_id) override;
  Status SetProviderOrganization(const std::string& user_id, const std::string& organization_id,
                                 int64_t at, const std::string& by) override;
  Result<std::vector<domain::directory::ProviderLink>> ProviderLinks(const std::string& after,
                                                                     int limit) override;
  Result<std::optional<domain::directory::PrivateNotesRecord>> FindPrivateNotes(
      const std::string& service_id) override;
  Status PutPrivateNotes(const domain::directory::PrivateNotesRecord& notes) override;
  Status LockProviderLink(const std::string& user_id) override;
  Status AddNotice(const domain::directory::ProviderNotice& notice) override;
  Result<std::optional<int64_t>> LastNotice(const std::string& kind, const std::string& user_id,
                                            const std::string& service_id) override;
  Result<std::optional<domain::directory::ProviderNotice>> UseCheckin(const std::string& token_hash,
                                                                      int64_t now) override;

 private:
  Transaction& tx_;
};

}  // namespace soundcheck::storage
