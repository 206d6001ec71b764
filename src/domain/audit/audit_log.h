// The append-only, hash-chained audit log (security.md, "Audit").
//
// Each entry's hash is a keyed BLAKE2b over the previous hash and the entry's canonical
// encoding. A head row holds the last seq and hash with a keyed MAC, so truncating the tail
// is caught as well as edits, deletions and reordering in the middle. Appends lock the head
// row, which serialises writers on every node.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/keys/key_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::audit {

struct Entry {
  std::string actor_id;  // user id, or "anonymous" / "system"
  std::string actor_role;
  std::string action;  // "user.read", "auth.login", ...
  std::string subject_type;
  std::string subject_id;
  std::string purpose;  // why the access happened ("account administration", ...)
  std::string outcome;  // "success" | "denied" | "failure"
  std::string request_id;
};

struct VerifyReport {
  bool ok = true;
  int64_t entries = 0;
  // When !ok: the seq of the first entry that does not verify (or where the chain is cut)
  // and what is wrong, in words.
  std::optional<int64_t> first_bad_seq;
  std::string problem;
};

// Canonical, unambiguous encoding of a row's content (what the hash covers).
std::string Canonical(const AuditRow& row);

class AuditLog {
 public:
  AuditLog(keys::KeyService& keys, const core::Clock& clock, core::IdGenerator& ids)
      : keys_(keys), clock_(clock), ids_(ids) {}

  // Appends inside the caller's transaction: the entry commits with the access it records,
  // or not at all.
  Status Append(UnitOfWork& uow, const Entry& entry);

  // Walks the whole chain (in pages) and reports the first break.
  Result<VerifyReport> Verify(TransactionRunner& runner);

 private:
  keys::KeyService& keys_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace soundcheck::domain::audit
