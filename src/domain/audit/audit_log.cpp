#include "domain/audit/audit_log.h"

#include "crypto/hashing.h"

namespace soundcheck::domain::audit {
namespace {

void Put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

std::string HeadMac(const std::string& key, int64_t seq, const std::string& hash) {
  return crypto::ChainHash(key, hash, "head:" + std::to_string(seq));
}

}  // namespace

std::string Canonical(const AuditRow& row) {
  std::string out;
  Put(out, std::to_string(row.seq));
  Put(out, row.id);
  Put(out, std::to_string(row.at));
  Put(out, row.actor_id);
  Put(out, row.actor_role);
  Put(out, row.action);
  Put(out, row.subject_type);
  Put(out, row.subject_id);
  Put(out, row.purpose);
  Put(out, row.outcome);
  Put(out, row.request_id);
  return out;
}

Status AuditLog::Append(UnitOfWork& uow, const Entry& entry) {
  SC_ASSIGN_OR_RETURN(std::string key, keys_.AuditKey(uow));
  SC_ASSIGN_OR_RETURN(AuditHead head, uow.audit().LockHead());
  AuditRow row;
  row.seq = head.seq + 1;
  row.id = ids_.NewId();
  row.at = core::ToUnixSeconds(clock_.Now());
  row.actor_id = entry.actor_id;
  row.actor_role = entry.actor_role;
  row.action = entry.action;
  row.subject_type = entry.subject_type;
  row.subject_id = entry.subject_id;
  row.purpose = entry.purpose;
  row.outcome = entry.outcome;
  row.request_id = entry.request_id;
  row.prev_hash = head.seq == 0 ? std::string(crypto::kGenesisHash) : head.hash;
  row.hash = crypto::ChainHash(key, row.prev_hash, Canonical(row));
  AuditHead next{row.seq, row.hash, HeadMac(key, row.seq, row.hash)};
  return uow.audit().Append(row, next);
}

Result<VerifyReport> AuditLog::Verify(TransactionRunner& runner) {
  VerifyReport report;
  std::string key;
  std::optional<AuditHead> head;
  SC_RETURN_IF_ERROR(runner.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(key, keys_.AuditKey(uow));
    SC_ASSIGN_OR_RETURN(head, uow.audit().ReadHead());
    return core::Ok();
  }));
  std::string prev(crypto::kGenesisHash);
  int64_t expected_seq = 1;
  constexpr int kPage = 1000;
  auto fail = [&](int64_t seq, std::string what) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(what);
  };
  for (;;) {
    std::vector<AuditRow> page;
    SC_RETURN_IF_ERROR(runner.Run([&](UnitOfWork& uow) -> Status {
      SC_ASSIGN_OR_RETURN(page, uow.audit().ReadAfter(expected_seq - 1, kPage));
      return core::Ok();
    }));
    for (const auto& row : page) {
      if (row.seq != expected_seq) {
        fail(expected_seq, "entry " + std::to_string(expected_seq) + " is missing");
        return report;
      }
      if (row.prev_hash != prev) {
        fail(row.seq, "entry does not link to the entry before it");
        return report;
      }
      if (row.hash != crypto::ChainHash(key, row.prev_hash, Canonical(row))) {
        fail(row.seq, "entry content does not match its hash");
        return report;
      }
      prev = row.hash;
      ++expected_seq;
      ++report.entries;
    }
    if (static_cast<int>(page.size()) < kPage) break;
  }
  int64_t last = expected_seq - 1;
  int64_t head_seq = head ? head->seq : 0;
  if (head_seq != last) {
    fail(last + 1, "the log ends at entry " + std::to_string(last) + " but the head records " +
                       std::to_string(head_seq) + " entries (truncated)");
    return report;
  }
  if (head && head_seq > 0 &&
      (head->hash != prev || head->mac != HeadMac(key, head->seq, head->hash))) {
    fail(head_seq, "the head does not match the last entry");
  }
  return report;
}

}  // namespace soundcheck::domain::audit
