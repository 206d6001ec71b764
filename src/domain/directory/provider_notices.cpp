#include "domain/directory/provider_notices.h"

#include "crypto/hashing.h"
#include "crypto/random.h"

namespace soundcheck::domain::directory {
namespace {

constexpr int kLinksPerBatch = 100;

std::string CheckinHash(const std::string& token) {
  return crypto::HashToken("provider-checkin:" + token);
}

std::string Day(int64_t unix) {
  return core::FormatRfc3339(core::FromUnixSeconds(unix)).substr(0, 10);
}

bool Due(std::optional<int64_t> last, int64_t now, int64_t interval) {
  return !last || now - *last >= interval;
}

}  // namespace

NoticePlan PlanNotices(const ServiceSummary& service, std::optional<int64_t> last_checkin,
                       std::optional<int64_t> last_reminder, int64_t now,
                       const NoticePolicy& policy) {
  NoticePlan plan;
  if (service.status != "active") return plan;
  const bool confirmed_recently =
      service.openings.last_confirmed_at &&
      now - *service.openings.last_confirmed_at < policy.interval_seconds;
  plan.checkin = !confirmed_recently && Due(last_checkin, now, policy.interval_seconds);
  if (!service.needs.empty() && Due(last_reminder, now, policy.interval_seconds)) {
    plan.reminders = service.needs;
  }
  return plan;
}

core::Result<NoticeCounts> ProviderNotices::SendDue() {
  NoticeCounts counts;
  if (mail_ == nullptr) return counts;
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  std::optional<core::Error> first_error;
  std::string after;
  for (;;) {
    std::vector<ProviderLink> links;
    SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(links, uow.directory().ProviderLinks(after, kLinksPerBatch));
      return core::Ok();
    }));
    for (const auto& link : links) {
      ++counts.providers;
      NoticeCounts mine;
      auto st = runner_.Run([&](UnitOfWork& uow) -> core::Status {
        mine = {};
        return SendFor(uow, link, now, mine);
      });
      if (!st) {
        if (!first_error) first_error = st.error();
        continue;
      }
      counts.checkins += mine.checkins;
      counts.reminders += mine.reminders;
    }
    if (static_cast<int>(links.size()) < kLinksPerBatch) break;
    after = links.back().user_id;
  }
  if (first_error) return *first_error;
  return counts;
}

core::Status ProviderNotices::SendFor(UnitOfWork& uow, const ProviderLink& link, int64_t now,
                                      NoticeCounts& counts) {
  SC_RETURN_IF_ERROR(uow.directory().LockProviderLink(link.user_id));
  SC_ASSIGN_OR_RETURN(auto user, uow.users().FindById(link.user_id));
  if (!user || user->disabled || user->role != "provider") return core::Ok();
  SC_ASSIGN_OR_RETURN(auto services, editor_.OrganizationServices(uow, link.organization_id));
  std::optional<std::string> email;  // opened once, only when something is due
  std::string name;
  const std::string portal = policy_.public_url + "/provider";
  auto send = [&](const std::string& template_key,
                  std::map<std::string, std::string> params) -> core::Status {
    if (!email) {
      SC_ASSIGN_OR_RETURN(
          email, keys_.Open(uow, user->id, {"users", "email", user->id}, user->email_sealed));
      SC_ASSIGN_OR_RETURN(
          name, keys_.Open(uow, user->id, {"users", "name", user->id}, user->name_sealed));
    }
    mail::MailRequest m;
    m.template_key = template_key;
    m.language = "en";
    m.recipient = *email;
    m.subject_id = user->id;
    params["portal"] = portal;
    if (!name.empty()) params["name"] = name;
    m.params = std::move(params);
    auto queued = mail_->Enqueue(uow, m);
    if (!queued) return std::move(queued).error();
    return core::Ok();
  };
  for (const auto& service : services) {
    SC_ASSIGN_OR_RETURN(auto last_checkin,
                        uow.directory().LastNotice("checkin", user->id, service.id));
    SC_ASSIGN_OR_RETURN(auto last_reminder,
                        uow.directory().LastNotice("reminder", user->id, service.id));
    const NoticePlan plan = PlanNotices(service, last_checkin, last_reminder, now, policy_);
    if (plan.checkin) {
      const std::string token = crypto::RandomToken(32);
      ProviderNotice n;
      n.id = ids_.NewId();
      n.kind = "checkin";
      n.user_id = user->id;
      n.service_id = service.id;
      n.token_hash = CheckinHash(token);
      n.created_at = now;
      n.expires_at = now + policy_.link_seconds;
      SC_RETURN_IF_ERROR(uow.directory().AddNotice(n));
      // The token rides in the fragment, which browsers never send to a server: it cannot
      // land in an access log.
      SC_RETURN_IF_ERROR(send("mail.openings_checkin",
                              {{"service", service.name},
                               {"openings", std::to_string(service.openings.available.value_or(0))},
                               {"link", policy_.public_url + "/provider/checkin#t=" + token},
                               {"days", std::to_string(policy_.link_seconds / 86400)}}));
      ++counts.checkins;
    }
    if (!plan.reminders.empty()) {
      ProviderNotice n;
      n.id = ids_.NewId();
      n.kind = "reminder";
      n.user_id = user->id;
      n.service_id = service.id;
      n.created_at = now;
      n.expires_at = now;
      SC_RETURN_IF_ERROR(uow.directory().AddNotice(n));
      for (const auto& item : plan.reminders) {
        if (item.reason == VerifyReason::kUnverified) {
          SC_RETURN_IF_ERROR(send("mail.profile_review", {{"service", service.name}}));
        } else {
          SC_RETURN_IF_ERROR(send(
              "mail.licence_reminder",
              {{"service", service.name}, {"licence", item.detail}, {"date", Day(item.due_at)}}));
        }
        ++counts.reminders;
      }
    }
  }
  return core::Ok();
}

core::Result<CheckinResult> ProviderNotices::Redeem(const std::string& token,
                                                    std::optional<int64_t> available,
                                                    const std::string& request_id) {
  auto expired = [] {
    return core::Error::NotFound("check-in link used, expired or unknown")
        .WithReason("link-expired");
  };
  if (token.size() < 20 || token.size() > 100) return expired();
  CheckinResult out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    const int64_t now = core::ToUnixSeconds(clock_.Now());
    SC_ASSIGN_OR_RETURN(auto notice, uow.directory().UseCheckin(CheckinHash(token), now));
    if (!notice) return expired();
    SC_ASSIGN_OR_RETURN(auto user, uow.users().FindById(notice->user_id));
    if (!user || user->disabled || user->role != "provider") return expired();
    const accounts::Caller caller{{notice->user_id, accounts::Role::kProvider}, request_id};
    auto summary = editor_.ConfirmOpeningsIn(uow, caller, notice->service_id, available);
    if (!summary) {
      // The provider no longer speaks for this listing: the link is as good as expired.
      if (summary.error().code == core::ErrorCode::kNotFound) return expired();
      return std::move(summary).error();
    }
    if (summary->status == "defunct") {
      return core::Error::Conflict("the listing was removed")
          .WithDetail("This listing was removed, so there is nothing to confirm.");
    }
    out = {summary->id, summary->name, summary->openings};
    return core::Ok();
  }));
  return out;
}

}  // namespace soundcheck::domain::directory
