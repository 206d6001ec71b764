// Envelope keys for field sealing (security.md, "Encryption at rest").
//
// Each person (subject) has a random data key, stored wrapped by the master key in the
// data_keys table. Sealed values bind table, column, row id and key version as associated
// data, so a ciphertext cannot be moved to another row. System keys (the blind-index key
// and the audit-chain key) are data keys under reserved subject ids, so rotating the
// master key rewraps them too and they never change.
#pragma once

#include <string>
#include <string_view>

#include "crypto/seal.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::keys {

struct SealSite {
  std::string_view table;
  std::string_view column;
  std::string_view row_id;
};

class KeyService {
 public:
  // `master` must outlive the service. Thread-safe (no mutable state).
  explicit KeyService(const crypto::MasterKey& master) : master_(master) {}

  // The subject's data key, created (and stored wrapped) when missing and `create` is set.
  // kNotFound when missing and not created (e.g. after erasure).
  Result<std::string> DataKey(UnitOfWork& uow, const std::string& subject_id, bool create);

  Result<std::string> Seal(UnitOfWork& uow, const std::string& subject_id, SealSite site,
                           std::string_view plaintext);
  Result<std::string> Open(UnitOfWork& uow, const std::string& subject_id, SealSite site,
                           std::string_view sealed);

  // Keyed blind index for exact lookups of a sealed value (e.g. an email).
  Result<std::string> BlindIndex(UnitOfWork& uow, std::string_view normalized_value);
  // The key of the audit hash chain.
  Result<std::string> AuditKey(UnitOfWork& uow);

  // Rewraps every stored data key from `from` to `to` (the caller commits). Returns the count.
  static Result<int> Rewrap(UnitOfWork& uow, const crypto::MasterKey& from,
                            const crypto::MasterKey& to);

  // Crypto-shredding: destroys the subject's data key.
  static Status Erase(UnitOfWork& uow, const std::string& subject_id);

  static constexpr std::string_view kBlindIndexSubject = "system:blind-index";
  static constexpr std::string_view kAuditSubject = "system:audit-chain";

 private:
  const crypto::MasterKey& master_;
};

}  // namespace soundcheck::domain::keys
