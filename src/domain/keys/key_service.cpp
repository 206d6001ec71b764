#include "domain/keys/key_service.h"

namespace soundcheck::domain::keys {

using core::Error;

Result<std::string> KeyService::DataKey(UnitOfWork& uow, const std::string& subject_id,
                                        bool create) {
  SC_ASSIGN_OR_RETURN(auto found, uow.keys().Find(subject_id));
  if (found) {
    if (found->master_key_id != master_.id()) {
      return Error::Internal("data key wrapped by another master key; run keys rotate");
    }
    return crypto::UnwrapDataKey(master_, found->wrapped);
  }
  if (!create) return Error::NotFound("no data key for subject");
  std::string key = crypto::NewDataKey();
  SC_ASSIGN_OR_RETURN(std::string wrapped, crypto::WrapDataKey(master_, key));
  auto st = uow.keys().Insert({subject_id, wrapped, master_.id(), 1});
  if (!st && st.error().code == core::ErrorCode::kConflict) {
    // Another transaction created it first; use theirs.
    return DataKey(uow, subject_id, false);
  }
  SC_RETURN_IF_ERROR(st);
  return key;
}

Result<std::string> KeyService::Seal(UnitOfWork& uow, const std::string& subject_id, SealSite site,
                                     std::string_view plaintext) {
  SC_ASSIGN_OR_RETURN(std::string key, DataKey(uow, subject_id, true));
  return crypto::Seal(key, plaintext, crypto::SealAad(site.table, site.column, site.row_id, 1));
}

Result<std::string> KeyService::Open(UnitOfWork& uow, const std::string& subject_id, SealSite site,
                                     std::string_view sealed) {
  SC_ASSIGN_OR_RETURN(std::string key, DataKey(uow, subject_id, false));
  auto plain = crypto::Open(key, sealed, crypto::SealAad(site.table, site.column, site.row_id, 1));
  // A value that does not open under its own row's associated data was moved or damaged:
  // an integrity failure on our side, never the caller's input.
  if (!plain) return Error::Internal("sealed value does not open at its site");
  return plain;
}

Result<std::string> KeyService::BlindIndex(UnitOfWork& uow, std::string_view normalized_value) {
  SC_ASSIGN_OR_RETURN(std::string key, DataKey(uow, std::string(kBlindIndexSubject), true));
  return crypto::BlindIndex(key, normalized_value);
}

Result<std::string> KeyService::AuditKey(UnitOfWork& uow) {
  return DataKey(uow, std::string(kAuditSubject), true);
}

Result<int> KeyService::Rewrap(UnitOfWork& uow, const crypto::MasterKey& from,
                               const crypto::MasterKey& to) {
  SC_ASSIGN_OR_RETURN(auto all, uow.keys().All());
  int n = 0;
  for (auto& k : all) {
    if (k.master_key_id == to.id()) continue;  // already rewrapped (a resumed rotation)
    if (k.master_key_id != from.id()) {
      return Error::FailedPrecondition("a data key is wrapped by an unknown master key")
          .WithDetail(
              "A data key is wrapped by a master key that is neither the old nor the new one.");
    }
    SC_ASSIGN_OR_RETURN(std::string plain, crypto::UnwrapDataKey(from, k.wrapped));
    SC_ASSIGN_OR_RETURN(k.wrapped, crypto::WrapDataKey(to, plain));
    k.master_key_id = to.id();
    SC_RETURN_IF_ERROR(uow.keys().Replace(k));
    ++n;
  }
  return n;
}

Status KeyService::Erase(UnitOfWork& uow, const std::string& subject_id) {
  return uow.keys().Delete(subject_id);
}

}  // namespace soundcheck::domain::keys
