// The mail outbox (domain::MailRepository) in SQL. See migration 0006_mail_outbox for the
// table and its pick index.
#pragma once

#include "domain/unit_of_work.h"
#include "storage/database.h"

namespace soundcheck::storage {

class SqlMail final : public domain::MailRepository {
 public:
  explicit SqlMail(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::MailRecord& mail) override;
  Result<std::optional<domain::MailRecord>> FindById(const std::string& id) override;
  Result<std::vector<domain::MailRecord>> ClaimDue(int64_t now, int64_t lease_until,
                                                   int limit) override;
  Result<bool> MarkSent(const std::string& id, int attempt, int64_t at) override;
  Result<bool> Reschedule(const std::string& id, int attempt, int64_t next_attempt_at,
                          const std::string& error) override;
  Result<bool> MarkFailed(const std::string& id, int attempt, const std::string& error) override;
  Result<domain::MailCounts> Counts() override;

 private:
  Transaction& tx_;
};

}  // namespace soundcheck::storage
