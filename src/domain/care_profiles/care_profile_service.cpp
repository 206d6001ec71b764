#include "domain/care_profiles/care_profile_service.h"

#include <boost/json.hpp>

#include "domain/cases/case_service.h"
#include "domain/events/events.h"

namespace soundcheck::domain::care_profiles {
namespace {

namespace json = boost::json;
using core::Error;

// The row a version's seal is bound to. (SealSite holds views: keep the string alive while
// the site is used.)
std::string RowId(const std::string& case_id, int64_t version) {
  return case_id + "#" + std::to_string(version);
}

Error Stale(const char* when) {
  return Error::FailedPrecondition("stale care profile")
      .WithDetail(std::string("Someone saved this profile ") + when +
                  ". Reload it to see their changes.");
}

}  // namespace

core::Status CareProfileService::Audit(UnitOfWork& uow, const accounts::Caller& caller,
                                       const std::string& action, const std::string& case_id) {
  return audit_.Append(
      uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
            action, "case", case_id, "care planning", "success", caller.request_id});
}

core::Result<ProfileVersion> CareProfileService::Open(UnitOfWork& uow, const CaseRecord& c,
                                                      const CareProfileRecord& record) {
  const std::string row = RowId(c.id, record.version);
  SC_ASSIGN_OR_RETURN(std::string text, keys_.Open(uow, c.person_id, {"care_profiles", "body", row},
                                                   record.body_sealed));
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return Error::Internal("unreadable care profile");
  ProfileVersion v;
  v.case_id = c.id;
  v.version = record.version;
  v.profile = std::move(doc.as_object());
  v.author_id = record.author_id;
  v.created_at = record.created_at;
  return v;
}

core::Result<ProfileVersion> CareProfileService::Get(const accounts::Caller& caller,
                                                     const std::string& case_id) {
  ProfileVersion out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    out = ProfileVersion{};
    SC_ASSIGN_OR_RETURN(CaseRecord c, cases::VisibleCase(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto latest, uow.care_profiles().Latest(c.id));
    if (latest) {
      SC_ASSIGN_OR_RETURN(out, Open(uow, c, *latest));
    } else {
      out.case_id = c.id;
    }
    return Audit(uow, caller, "care_profile.read", c.id);
  }));
  return out;
}

core::Result<ProfileVersion> CareProfileService::Save(const accounts::Caller& caller,
                                                      const std::string& case_id,
                                                      json::object profile,
                                                      int64_t expected_version) {
  const std::string text = json::serialize(profile);
  ProfileVersion out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, cases::VisibleCase(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto latest, uow.care_profiles().Latest(c.id));
    const int64_t current = latest ? latest->version : 0;
    if (current != expected_version) return Stale("since you opened it");
    const int64_t now = core::ToUnixSeconds(clock_.Now());
    CareProfileRecord record;
    record.case_id = c.id;
    record.version = current + 1;
    record.author_id = caller.principal.user_id;
    record.created_at = now;
    const std::string row = RowId(c.id, record.version);
    SC_ASSIGN_OR_RETURN(record.body_sealed,
                        keys_.Seal(uow, c.person_id, {"care_profiles", "body", row}, text));
    auto inserted = uow.care_profiles().Insert(record);
    if (!inserted && inserted.error().code == core::ErrorCode::kConflict) {
      return Stale("at the same moment");
    }
    SC_RETURN_IF_ERROR(inserted);
    SC_RETURN_IF_ERROR(uow.cases().InsertEvent({ids_.NewId(), c.id, now, caller.principal.user_id,
                                                "care_profile.saved",
                                                "version " + std::to_string(record.version)}));
    SC_RETURN_IF_ERROR(events::CaseUpdated(uow, c, now));
    out.case_id = c.id;
    out.version = record.version;
    out.profile = profile;
    out.author_id = record.author_id;
    out.created_at = record.created_at;
    return Audit(uow, caller, "care_profile.save", c.id);
  }));
  return out;
}

}  // namespace soundcheck::domain::care_profiles
