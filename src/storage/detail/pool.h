// A bounded pool of connections, opened on demand by a factory. Both adapters use it: the
// PostgreSQL connections, the SQLite readers, and the SQLite writer (a pool of one, which is
// what serializes writes). Private to storage/.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace soundcheck::storage::detail {

template <typename Conn>
class ConnectionPool {
 public:
  using Factory = std::function<core::Result<std::unique_ptr<Conn>>()>;

  // A connection on loan; returns it to the pool (or closes it after Discard()) when
  // destroyed. Move-only. The pool must outlive it.
  class Lease {
   public:
    Lease(Lease&& o) noexcept
        : pool_(std::exchange(o.pool_, nullptr)), conn_(std::move(o.conn_)), discard_(o.discard_) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->Release(std::move(conn_), discard_);
    }
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }
    // Closes the connection instead of returning it (it is broken or in an unknown state).
    void Discard() { discard_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    ConnectionPool* pool_;
    std::unique_ptr<Conn> conn_;
    bool discard_ = false;
  };

  // `max_size` >= 1. `max_wait`: how long Acquire waits for a connection to come free.
  ConnectionPool(int max_size, std::chrono::milliseconds max_wait, Factory factory)
      : max_size_(max_size), max_wait_(max_wait), factory_(std::move(factory)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Adds an already open connection (e.g. the one opened to validate the settings).
  void Add(std::unique_ptr<Conn> conn) {
    std::lock_guard lock(mu_);
    ++open_;
    idle_.push_back(std::move(conn));
  }

  // Lends an idle connection, opens a new one while below max_size, or waits. Errors: the
  // factory's error; kUnavailable after max_wait (then *timed_out is set, if given).
  // Thread-safe.
  core::Result<Lease> Acquire(bool* timed_out = nullptr) {
    if (timed_out != nullptr) *timed_out = false;
    std::unique_lock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + max_wait_;
    bool counted = false;
    while (true) {
      if (!idle_.empty()) {
        std::unique_ptr<Conn> c = std::move(idle_.back());
        idle_.pop_back();
        ++in_use_;
        return Lease(this, std::move(c));
      }
      if (open_ < max_size_) {
        ++open_;
        ++in_use_;
        lock.unlock();  // connecting may take a while; others may use idle connections
        core::Result<std::unique_ptr<Conn>> c = factory_();
        if (!c) {
          lock.lock();
          --open_;
          --in_use_;
          cv_.notify_one();
          return std::move(c).error();
        }
        return Lease(this, std::move(c).value());
      }
      if (!counted) {
        ++waits_;
        counted = true;
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= max_size_) {
        if (timed_out != nullptr) *timed_out = true;
        return core::Error::Unavailable("no database connection came free within " +
                                        std::to_string(max_wait_.count()) + " ms (pool size " +
                                        std::to_string(max_size_) + ")");
      }
    }
  }

  PoolStats Stats() const {
    std::lock_guard lock(mu_);
    return PoolStats{open_, in_use_, waits_};
  }

 private:
  void Release(std::unique_ptr<Conn> conn, bool discard) {
    std::unique_ptr<Conn> closing;
    {
      std::lock_guard lock(mu_);
      --in_use_;
      if (discard) {
        --open_;
        closing = std::move(conn);
      } else {
        idle_.push_back(std::move(conn));
      }
    }
    cv_.notify_one();
    // `closing` is destroyed here, outside the lock.
  }

  const int max_size_;
  const std::chrono::milliseconds max_wait_;
  const Factory factory_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
  int in_use_ = 0;
  int64_t waits_ = 0;
};

}  // namespace soundcheck::storage::detail
