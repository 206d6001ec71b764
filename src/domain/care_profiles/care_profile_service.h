// Care profiles (docs/matching.md, "The case's care profile"): the person's facts a case
// manager learns after intake — where they are, their tour, insurance details, budget, aid —
// kept on the case so every search starts from them instead of being typed again. The
// domain keeps a profile as an opaque JSON object (matching's wire form, checked by the
// caller: this module knows nothing of matching). Every save is a new version, sealed under
// the person's key; old versions stay whole. Every read and write is audited (ids and the
// version only, never the contents).
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/accounts/account_service.h"
#include "domain/audit/audit_log.h"
#include "domain/keys/key_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::care_profiles {

struct ProfileVersion {
  std::string case_id;
  int64_t version = 0;          // 0: nothing saved yet
  boost::json::object profile;  // {} when nothing was saved
  std::string author_id;        // "" when version is 0
  int64_t created_at = 0;       // unix seconds; 0 when version is 0
};

class CareProfileService {
 public:
  CareProfileService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit,
                     const core::Clock& clock, core::IdGenerator& ids)
      : runner_(runner), keys_(keys), audit_(audit), clock_(clock), ids_(ids) {}

  // The newest version (version 0 and {} when none). kNotFound when the case is not visible.
  core::Result<ProfileVersion> Get(const accounts::Caller& caller, const std::string& case_id);
  // Saves `profile` as the next version. `expected_version` is the version edited (0 for the
  // first); kFailedPrecondition when someone saved since. The caller has checked `profile`.
  // kNotFound when the case is not visible.
  core::Result<ProfileVersion> Save(const accounts::Caller& caller, const std::string& case_id,
                                    boost::json::object profile, int64_t expected_version);

 private:
  core::Result<ProfileVersion> Open(UnitOfWork& uow, const CaseRecord& c,
                                    const CareProfileRecord& record);
  core::Status Audit(UnitOfWork& uow, const accounts::Caller& caller, const std::string& action,
                     const std::string& case_id);

  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace soundcheck::domain::care_profiles
