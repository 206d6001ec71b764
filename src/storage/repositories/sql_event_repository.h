// The event log (domain::EventRepository) in SQL. See migration 0005_events for the table.
#pragma once

#include "domain/unit_of_work.h"
#include "storage/database.h"

namespace soundcheck::storage {

// The PostgreSQL channel every node LISTENs on; Append notifies it (delivered at commit).
inline constexpr const char* kEventsChannel = "soundcheck_events";

class SqlEvents final : public domain::EventRepository {
 public:
  explicit SqlEvents(Transaction& tx) : tx_(tx) {}
  Result<int64_t> Append(const domain::EventRecord& event) override;
  Result<std::vector<domain::EventRecord>> ReadAfter(int64_t after_seq, int limit) override;
  Result<int64_t> LastSeq() override;
  // True once Append succeeded in this transaction (the runner then tells the local hub).
  bool appended() const { return appended_; }

 private:
  Transaction& tx_;
  bool appended_ = false;
};

}  // namespace soundcheck::storage
