// Staff duty and rota, urgent-case alerts and support requests in SQL (migration 0007).
#pragma once

#include "domain/unit_of_work.h"
#include "storage/database.h"

namespace soundcheck::storage {

class SqlStaff final : public domain::StaffRepository {
 public:
  explicit SqlStaff(Transaction& tx) : tx_(tx) {}
  Result<std::optional<domain::StaffProfileRecord>> FindProfile(const std::string& id) override;
  Status UpsertProfile(const domain::StaffProfileRecord& p) override;
  Result<std::vector<domain::StaffProfileRecord>> Profiles() override;
  Status InsertShift(const domain::ShiftRecord& s) override;
  Result<std::optional<domain::ShiftRecord>> FindShift(const std::string& id) override;
  Result<std::vector<domain::ShiftRecord>> Shifts(int64_t from, int64_t to) override;
  Result<std::vector<domain::ShiftRecord>> LockShifts(int64_t from, int64_t to) override;
  Result<bool> DeleteShift(const std::string& id) override;
  Result<std::vector<std::pair<std::string, int64_t>>> OpenCaseCounts() override;

 private:
  Transaction& tx_;
};

class SqlAlerts final : public domain::AlertRepository {
 public:
  explicit SqlAlerts(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::AlertRecord& a) override;
  Result<std::optional<domain::AlertRecord>> Find(const std::string& id) override;
  Result<std::vector<domain::AlertRecord>> List(bool open_only, int limit) override;
  Result<bool> Acknowledge(const std::string& id, int64_t at, const std::string& by) override;
  Result<std::vector<domain::AlertRecord>> TakeOverdue(int64_t now, int limit) override;

 private:
  Transaction& tx_;
};

class SqlSupportRequests final : public domain::SupportRequestRepository {
 public:
  explicit SqlSupportRequests(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::SupportRequestRecord& r) override;
  Result<std::optional<domain::SupportRequestRecord>> FindByKeyHash(
      const std::string& hash) override;
  Result<std::optional<domain::SupportRequestRecord>> Find(const std::string& id) override;
  Result<std::vector<domain::SupportRequestRecord>> List(const std::string& status,
                                                         int limit) override;
  Result<bool> Claim(const std::string& id, const std::string& by, int64_t at) override;
  Result<bool> Close(const std::string& id, int64_t at, const std::string& outcome,
                     const std::string& note_sealed) override;
  Result<std::vector<domain::SupportRequestRecord>> BookedBetween(int64_t from,
                                                                  int64_t to) override;

 private:
  Transaction& tx_;
};

class SqlMemberAccess final : public domain::MemberAccessRepository {
 public:
  explicit SqlMemberAccess(Transaction& tx) : tx_(tx) {}
  Status InsertLink(const std::string& token_hash, const std::string& email_index,
                    int64_t created_at, int64_t expires_at) override;
  Result<int64_t> CountLinksSince(const std::string& email_index, int64_t since) override;
  Result<std::optional<std::string>> ConsumeLink(const std::string& token_hash,
                                                 int64_t now) override;
  Status InsertSession(const std::string& id_hash, const std::string& email_index,
                       int64_t created_at, int64_t expires_at) override;
  Result<std::optional<std::string>> FindSession(const std::string& id_hash, int64_t now) override;
  Status DeleteSession(const std::string& id_hash) override;

 private:
  Transaction& tx_;
};

}  // namespace soundcheck::storage
