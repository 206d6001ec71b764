// The domain's repository ports implemented in SQL over one storage::Transaction, and the
// TransactionRunner that opens one transaction per unit of work.
#pragma once

#include <functional>
#include <memory>

#include "domain/unit_of_work.h"
#include "storage/database.h"

namespace soundcheck::storage {

// Runs each unit of work in one database transaction. Thread-safe.
class SqlTransactionRunner final : public domain::TransactionRunner {
 public:
  explicit SqlTransactionRunner(Database& db) : db_(db) {}
  Status Run(const std::function<Status(domain::UnitOfWork&)>& fn) override;
  Status RunReadOnly(const std::function<Status(domain::UnitOfWork&)>& fn) override;
  // Called after a unit of work that appended events has committed (the local event hub
  // wakes at once instead of waiting for its poll or a NOTIFY). Set before serving.
  void OnEventsCommitted(std::function<void()> fn) { on_events_ = std::move(fn); }

 private:
  Database& db_;
  std::function<void()> on_events_;
};

// One unit of work bound to an open transaction (exposed for tests and tools).
std::unique_ptr<domain::UnitOfWork> MakeSqlUnitOfWork(Transaction& tx);

}  // namespace soundcheck::storage
