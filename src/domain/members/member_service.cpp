#include "domain/members/member_service.h"

#include <algorithm>
#include <cctype>

#include "crypto/hashing.h"
#include "crypto/random.h"

namespace soundcheck::domain::members {
namespace {

using core::Error;

std::string LinkHash(const std::string& token) { return crypto::HashToken("member-link:" + token); }
std::string SessionHash(const std::string& token) {
  return crypto::HashToken("member-session:" + token);
}

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  size_t b = 0, e = email.size();
  while (b < e && std::isspace(static_cast<unsigned char>(email[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(email[e - 1]))) --e;
  std::string out(email.substr(b, e - b));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<std::string> EmailIndex(UnitOfWork& uow, keys::KeyService& keys, std::string_view email) {
  return keys.BlindIndex(uow, "email:" + NormalizeEmail(email));
}

Result<bool> MemberService::SendLink(UnitOfWork& uow, const std::string& email_index,
                                     const std::string& email, const std::string& language,
                                     const std::string& person_id) {
  if (mail_ == nullptr) return false;
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SC_ASSIGN_OR_RETURN(int64_t recent, uow.members().CountLinksSince(email_index, now - 3600));
  if (recent >= policy_.max_links_per_hour) return false;
  const std::string token = crypto::RandomToken(32);
  SC_RETURN_IF_ERROR(uow.members().InsertLink(LinkHash(token), email_index, now,
                                              now + int64_t{policy_.link_minutes} * 60));
  std::string base = policy_.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  mail::MailRequest m;
  m.template_key = "mail.status_link";
  m.language = language == "es" ? "es" : "en";
  m.recipient = email;
  m.subject_id = person_id;
  // The token rides in the fragment: browsers never send it to a server, so it cannot land
  // in an access log or a proxy's history.
  m.params = {{"link", base + (m.language == "es" ? "/es/status#t=" : "/status#t=") + token},
              {"minutes", std::to_string(policy_.link_minutes)}};
  auto queued = mail_->Enqueue(uow, m);
  if (!queued) return std::move(queued).error();
  return true;
}

core::Status MemberService::RequestLink(const std::string& email, const std::string& request_id) {
  const std::string normalized = NormalizeEmail(email);
  if (normalized.empty() || normalized.size() > 254 || !mail::IsValidAddress(normalized)) {
    return Error::Unprocessable(
        "bad email", {{"/email", "invalid_format", "Enter the email address you gave us."}});
  }
  return runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(std::string index, EmailIndex(uow, keys_, normalized));
    SC_ASSIGN_OR_RETURN(auto people, uow.people().FindByEmailIndex(index));
    if (people.empty()) return core::Ok();  // say nothing either way
    const auto& newest = people.back();
    SC_ASSIGN_OR_RETURN(bool sent, SendLink(uow, index, normalized, newest.language, newest.id));
    if (!sent) return core::Ok();
    return audit_.Append(uow, {"anonymous", "member", "member.link", "person", newest.id,
                               "member status", "success", request_id});
  });
}

Result<MemberStatus> MemberService::Load(UnitOfWork& uow, const std::string& email_index,
                                         const std::string& request_id) {
  MemberStatus out;
  SC_ASSIGN_OR_RETURN(auto people, uow.people().FindByEmailIndex(email_index));
  for (const auto& p : people) {
    out.language = p.language;
    SC_ASSIGN_OR_RETURN(auto cases, uow.cases().ForPerson(p.id));
    for (const auto& c : cases) {
      MemberCase mc{c.reference, c.status, c.updated_at, std::nullopt};
      if (c.assigned_to) {
        SC_ASSIGN_OR_RETURN(auto user, uow.users().FindById(*c.assigned_to));
        if (user) {
          SC_ASSIGN_OR_RETURN(
              std::string name,
              keys_.Open(uow, user->id, {"users", "name", user->id}, user->name_sealed));
          mc.case_manager = name.substr(0, name.find(' '));  // first name only
        }
      }
      if (plans_ != nullptr) {
        SC_ASSIGN_OR_RETURN(mc.plan, plans_->ForMember(uow, c));
      }
      out.country = c.country;
      out.cases.push_back(std::move(mc));
    }
    SC_RETURN_IF_ERROR(audit_.Append(uow, {"member", "member", "member.status", "person", p.id,
                                           "member status", "success", request_id}));
  }
  std::sort(out.cases.begin(), out.cases.end(),
            [](const auto& a, const auto& b) { return a.updated_at > b.updated_at; });
  return out;
}

Result<std::pair<std::string, MemberStatus>> MemberService::Exchange(
    const std::string& token, const std::string& request_id) {
  if (token.size() < 20 || token.size() > 100) {
    return Error::NotFound("no such link").WithReason("link-expired");
  }
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  std::pair<std::string, MemberStatus> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto index, uow.members().ConsumeLink(LinkHash(token), now));
    if (!index) {
      return Error::NotFound("no such link")
          .WithReason("link-expired")
          .WithDetail("This link was used already or has expired. Ask for a new one.");
    }
    out.first = crypto::RandomToken(32);
    SC_RETURN_IF_ERROR(uow.members().InsertSession(SessionHash(out.first), *index, now,
                                                   now + int64_t{policy_.session_minutes} * 60));
    SC_ASSIGN_OR_RETURN(out.second, Load(uow, *index, request_id));
    return core::Ok();
  }));
  return out;
}

Result<MemberStatus> MemberService::GetStatus(const std::string& session_token,
                                              const std::string& request_id) {
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  MemberStatus out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto index, uow.members().FindSession(SessionHash(session_token), now));
    if (!index) {
      return Error::Unauthenticated("no member session")
          .WithDetail("Your link has expired. Ask for a new one.");
    }
    SC_ASSIGN_OR_RETURN(out, Load(uow, *index, request_id));
    return core::Ok();
  }));
  return out;
}

core::Status MemberService::Logout(const std::string& session_token) {
  return runner_.Run([&](UnitOfWork& uow) -> core::Status {
    return uow.members().DeleteSession(SessionHash(session_token));
  });
}

}  // namespace soundcheck::domain::members
