#include "storage/detail/common.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace soundcheck::storage::detail {

core::Error TxState::Fail(const EngineError& e) {
  if (!failed_) {
    failed_ = true;
    first_ = e.error;
  }
  retryable_ = retryable_ || e.retryable;
  return e.error;
}

core::Error TxState::AbortedError() const {
  core::Error e = first_;
  e.message = "transaction aborted by an earlier error: " + first_.message;
  return e;
}

core::Status RetryTransaction(int max_attempts, const std::function<Attempt()>& attempt) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  max_attempts = std::max(1, max_attempts);
  for (int i = 1;; ++i) {
    Attempt a = attempt();
    if (a.status || !a.retryable) return a.status;
    if (i >= max_attempts) {
      core::Error e = std::move(a.status).error();
      e.message = "gave up after " + std::to_string(i) + " attempts: " + e.message;
      return e;
    }
    // Jitter spreads out writers that collided, so they do not collide again in lockstep.
    const int base_us = std::min(100'000, 2'000 << std::min(i - 1, 10));
    std::uniform_int_distribution<int> pause(base_us / 2, base_us + base_us / 2);
    std::this_thread::sleep_for(std::chrono::microseconds(pause(rng)));
  }
}

namespace {
thread_local std::vector<const void*> active_transactions;
}  // namespace

TransactGuard::TransactGuard(const void* db)
    : db_(db),
      nested_(std::find(active_transactions.begin(), active_transactions.end(), db) !=
              active_transactions.end()) {
  if (!nested_) active_transactions.push_back(db_);
}

TransactGuard::~TransactGuard() {
  if (nested_) return;
  auto it = std::find(active_transactions.begin(), active_transactions.end(), db_);
  if (it != active_transactions.end()) active_transactions.erase(it);
}

core::Error NestedTransactError() {
  return core::Error::Internal(
      "Transact called from inside a transaction of the same database; pass the Transaction "
      "down instead");
}

core::Status CheckTextParam(std::string_view s, size_t index) {
  const auto bad = [index](const char* what) {
    return core::Error::InvalidArgument("text parameter " + std::to_string(index + 1) + " " + what +
                                        "; use a Blob for binary data");
  };
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return bad("contains a NUL byte");
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return bad("is not valid UTF-8");
    }
    if (i + len > n) return bad("is not valid UTF-8");
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return bad("is not valid UTF-8");
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return bad("is not valid UTF-8");
    }
    i += len;
  }
  return core::Ok();
}

}  // namespace soundcheck::storage::detail
