// A Database decorator for tests that makes chosen commits fail — "an acknowledged write is
// never lost", "audit write fails → the data is not returned". Library sc_storage_testing;
// never linked into the server. (Namespace soundcheck::storage, not ::testing, to keep clear
// of GoogleTest's namespace.)
#pragma once

#include <atomic>
#include <mutex>

#include "storage/database.h"

namespace soundcheck::storage {

enum class CommitFault {
  // The transaction's changes are rolled back and Transact returns kUnavailable: the write
  // was not acknowledged and did not happen.
  kRolledBack,
  // The transaction commits, then Transact returns kUnavailable anyway: the acknowledgement
  // was lost (a connection dropped during COMMIT). The caller must not assume either way.
  kCommittedButReported,
};

class FaultInjectingDatabase final : public Database {
 public:
  // `inner` must outlive this decorator.
  explicit FaultInjectingDatabase(Database& inner) : inner_(inner) {}

  // Arms a fault for the nth Transact call from now (n = 1: the next one), read-only ones
  // included. That call runs `fn` in full; if `fn` succeeds the commit fails as `fault` says
  // and Transact returns kUnavailable with a message containing "injected". If `fn` itself
  // fails, Transact returns its error and the fault is spent anyway. Replaces a fault armed
  // before; n <= 0 disarms. Thread-safe (with concurrent callers, "nth" is in arrival order).
  void FailNthCommit(int n, CommitFault fault = CommitFault::kRolledBack);

  // Transact calls seen since construction, and faults actually injected.
  int64_t transact_calls() const { return calls_.load(); }
  int64_t injected_faults() const { return injected_.load(); }

  // Forwards to `inner` except for the armed call.
  Status Transact(const std::function<Status(Transaction&)>& fn,
                  TxMode mode = TxMode::kReadWrite) override;
  Status Ping() override { return inner_.Ping(); }
  Dialect dialect() const override { return inner_.dialect(); }
  PoolStats Stats() const override { return inner_.Stats(); }
  Result<std::unique_ptr<Listener>> Listen(const std::string& channel,
                                           std::function<void()> on_notify) override {
    return inner_.Listen(channel, std::move(on_notify));
  }

 private:
  Database& inner_;
  std::mutex mu_;
  int64_t target_call_ = 0;  // the call number that fails; 0: none
  CommitFault fault_ = CommitFault::kRolledBack;
  std::atomic<int64_t> calls_{0};
  std::atomic<int64_t> injected_{0};
};

}  // namespace soundcheck::storage
