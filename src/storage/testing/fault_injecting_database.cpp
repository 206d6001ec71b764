#include "storage/testing/fault_injecting_database.h"

namespace soundcheck::storage {
namespace {
constexpr std::string_view kSentinel = "fault_injecting_database: injected rollback";
}  // namespace

void FaultInjectingDatabase::FailNthCommit(int n, CommitFault fault) {
  std::lock_guard lock(mu_);
  target_call_ = n <= 0 ? 0 : calls_.load() + n;
  fault_ = fault;
}

Status FaultInjectingDatabase::Transact(const std::function<Status(Transaction&)>& fn,
                                        TxMode mode) {
  bool fail = false;
  CommitFault fault = CommitFault::kRolledBack;
  {
    std::lock_guard lock(mu_);
    const int64_t call = ++calls_;
    if (target_call_ != 0 && call == target_call_) {
      fail = true;
      fault = fault_;
      target_call_ = 0;
    }
  }
  if (!fail) return inner_.Transact(fn, mode);

  bool fn_succeeded = false;
  Status s = inner_.Transact(
      [&](Transaction& tx) -> Status {
        fn_succeeded = false;
        Status r = fn(tx);
        if (!r) return r;
        fn_succeeded = true;
        // An error here makes the inner database roll back instead of committing. It is
        // kInternal so that the inner database does not retry it.
        if (fault == CommitFault::kRolledBack) return core::Error::Internal(std::string(kSentinel));
        return r;
      },
      mode);
  if (!fn_succeeded) return s;  // fn failed on its own: report that
  if (fault == CommitFault::kRolledBack) {
    if (s || s.error().message != kSentinel) return s;  // cannot happen; do not mask it
    ++injected_;
    return core::Error::Unavailable("injected commit failure (the transaction was rolled back)");
  }
  if (!s) return s;  // the real commit failed
  ++injected_;
  return core::Error::Unavailable("injected lost acknowledgement (the transaction committed)");
}

}  // namespace soundcheck::storage
