// Pieces both adapters share: how an engine error is described, the "a failed statement
// aborts the transaction" bookkeeping, the retry loop of Transact, and the guard against a
// nested Transact. Private to storage/.
#pragma once

#include <functional>
#include <string_view>

#include "core/result.h"

namespace soundcheck::storage::detail {

// An engine error already mapped to a core::Error (see sqlite/errors.h, postgres/errors.h).
struct EngineError {
  core::Error error;
  bool retryable = false;        // serialization failure, deadlock, SQLITE_BUSY: run fn again
  bool connection_lost = false;  // the connection is unusable; discard it
};

// Per-transaction state: once a statement fails, every later statement fails with the same
// code and the transaction cannot commit. Not thread-safe (one transaction, one thread).
class TxState {
 public:
  // Records `e` (the first failure wins) and returns its error for the caller.
  core::Error Fail(const EngineError& e);
  bool failed() const { return failed_; }
  // True when some statement failed in a way that a fresh attempt may not.
  bool retryable() const { return retryable_; }
  // The error later statements and the commit report.
  core::Error AbortedError() const;

 private:
  bool failed_ = false;
  bool retryable_ = false;
  core::Error first_;
};

// The result of one attempt at a transaction.
struct Attempt {
  core::Status status;
  bool retryable = false;
};

// Runs `attempt` until it succeeds, fails without `retryable`, or `max_attempts` runs are
// spent, sleeping a jittered, growing pause (2 ms doubling, capped at 100 ms) between runs.
// When retries run out the last error is returned with its code (kUnavailable for busy and
// connection errors, kUnavailable for serialization failures too).
core::Status RetryTransaction(int max_attempts, const std::function<Attempt()>& attempt);

// Marks the calling thread as inside a Transact of `db` for the guard's lifetime, so a nested
// Transact on the same database can be refused instead of deadlocking.
class TransactGuard {
 public:
  explicit TransactGuard(const void* db);
  ~TransactGuard();
  TransactGuard(const TransactGuard&) = delete;
  TransactGuard& operator=(const TransactGuard&) = delete;
  // True when this thread was already inside a Transact of the same database.
  bool nested() const { return nested_; }

 private:
  const void* db_;
  bool nested_;
};

// The error a nested Transact returns.
core::Error NestedTransactError();

// Checks a text parameter: valid UTF-8 and no NUL byte. Returns an error naming the
// parameter's position (never its value) or Ok.
core::Status CheckTextParam(std::string_view text, size_t index);

}  // namespace soundcheck::storage::detail
