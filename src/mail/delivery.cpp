#include "mail/delivery.h"

#include <algorithm>

#include "core/log.h"

namespace soundcheck::mail {

using core::Error;
using domain::MailRecord;
using domain::UnitOfWork;
using domain::mail::OpenedMail;

core::Result<std::unique_ptr<MailDelivery>> MailDelivery::Create(
    domain::TransactionRunner& runner, const domain::mail::MailService& mail,
    MailTransport& transport, const core::Clock& clock, DeliveryOptions options) {
  auto from = ParseMailbox(options.from);
  if (!from) return Error::InvalidArgument("mail.from: " + from.error().message);
  if (options.max_attempts < 1 || options.batch_size < 1 || options.first_retry.count() < 1 ||
      options.max_retry < options.first_retry || options.lease.count() < 1) {
    return Error::InvalidArgument("mail delivery options out of range");
  }
  return std::unique_ptr<MailDelivery>(
      new MailDelivery(runner, mail, transport, clock, std::move(options), from->address));
}

MailDelivery::MailDelivery(domain::TransactionRunner& runner, const domain::mail::MailService& mail,
                           MailTransport& transport, const core::Clock& clock,
                           DeliveryOptions options, std::string from_address)
    : runner_(runner),
      mail_(mail),
      transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      from_address_(std::move(from_address)) {}

std::chrono::seconds MailDelivery::Backoff(int attempt) const {
  auto wait = options_.first_retry;
  for (int i = 1; i < attempt && wait < options_.max_retry; ++i) wait *= 2;
  return std::min(wait, options_.max_retry);
}

core::Result<RunReport> MailDelivery::RunOnce(core::TimePoint now) {
  RunReport report;
  const int64_t now_s = core::ToUnixSeconds(now);
  const int64_t lease_until = now_s + options_.lease.count();
  std::vector<OpenedMail> to_send;

  // Claim and open in one transaction. Rows that can never be sent are settled here.
  auto st = runner_.Run([&](UnitOfWork& uow) -> core::Status {
    to_send.clear();  // the runner may run this again after a conflict
    report = RunReport{};
    SC_ASSIGN_OR_RETURN(std::vector<MailRecord> rows,
                        uow.mail().ClaimDue(now_s, lease_until, options_.batch_size));
    report.claimed = static_cast<int>(rows.size());
    for (const MailRecord& row : rows) {
      if (row.attempts > options_.max_attempts) {
        // Claimed again after a claim that never reported back (a crash mid-send).
        SC_RETURN_IF_ERROR(uow.mail().MarkFailed(row.id, row.attempts, "attempts exhausted"));
        ++report.failed;
        continue;
      }
      auto opened = mail_.Open(uow, row);
      if (opened) {
        to_send.push_back(std::move(opened).value());
        continue;
      }
      if (opened.error().code == core::ErrorCode::kNotFound) {
        // The person's data key was erased: the message can never be read, so never sent.
        SC_RETURN_IF_ERROR(uow.mail().MarkFailed(row.id, row.attempts, "data key erased"));
        ++report.failed;
        continue;
      }
      // Anything else that stops a row from opening (a damaged value, a master key that
      // does not match) must not hold up the rest of the outbox: this row waits and, after
      // its attempts, fails. (A database error aborts the transaction instead: the write
      // below fails, the claim rolls back and nothing is lost.)
      const std::string why =
          "cannot open sealed values: " + std::string(core::ErrorCodeName(opened.error().code));
      if (row.attempts >= options_.max_attempts) {
        SC_RETURN_IF_ERROR(uow.mail().MarkFailed(row.id, row.attempts, why));
        ++report.failed;
      } else {
        SC_RETURN_IF_ERROR(uow.mail().Reschedule(row.id, row.attempts,
                                                 now_s + Backoff(row.attempts).count(), why));
        ++report.retried;
      }
      core::log::error("mail {} {} (attempt {})", row.id, why, row.attempts);
    }
    return core::Ok();
  });
  if (!st) {
    core::log::warn("mail delivery: claim failed: {} {}", core::ErrorCodeName(st.error().code),
                    st.error().message);
    return std::move(st).error();
  }
  failed_ += static_cast<uint64_t>(report.failed);
  retried_ += static_cast<uint64_t>(report.retried);

  for (const OpenedMail& m : to_send) {
    if (core::ToUnixSeconds(clock_.Now()) >= lease_until) {
      // Our lease is over: another node may have claimed this row by now. Leave it.
      core::log::warn("mail {} not sent: lease expired before its turn (attempt {})", m.id,
                      m.attempt);
      ++report.skipped;
      continue;
    }
    OutgoingMessage out;
    out.outbox_id = m.id;
    out.message_id = MessageIdFor(m.id, from_address_);
    out.from = options_.from;
    out.to = m.to;
    out.subject = m.subject;
    out.body = m.body;
    out.language = m.language;
    out.date = core::FromUnixSeconds(m.created_at);
    out.attachment = m.attachment;
    SendResult result = transport_.Send(out);
    if (!Record(m, result, report)) ++report.skipped;
  }
  return report;
}

bool MailDelivery::Record(const OpenedMail& m, const SendResult& result, RunReport& report) {
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  enum class Next { kSent, kRetry, kFailed } next;
  std::string error = result.error;
  if (result.outcome == SendResult::Outcome::kSent) {
    next = Next::kSent;
  } else if (result.outcome == SendResult::Outcome::kReject) {
    next = Next::kFailed;
  } else if (m.attempt >= options_.max_attempts) {
    next = Next::kFailed;
    error = "attempts exhausted; last: " + error;
  } else {
    next = Next::kRetry;
  }
  const int64_t retry_at = now + Backoff(m.attempt).count();

  bool held = false;
  auto st = runner_.Run([&](UnitOfWork& uow) -> core::Status {
    core::Result<bool> r = false;
    switch (next) {
      case Next::kSent:
        r = uow.mail().MarkSent(m.id, m.attempt, now);
        break;
      case Next::kRetry:
        r = uow.mail().Reschedule(m.id, m.attempt, retry_at, error);
        break;
      case Next::kFailed:
        r = uow.mail().MarkFailed(m.id, m.attempt, error);
        break;
    }
    if (!r) return std::move(r).error();
    held = *r;
    return core::Ok();
  });
  if (!st) {
    // The outcome is not recorded: the lease will expire and the row be claimed again. If
    // it was sent, that means one more copy with the same Message-ID (at-least-once).
    core::log::error("mail {} outcome not recorded (attempt {}, smtp {}): {}", m.id, m.attempt,
                     result.smtp_code, core::ErrorCodeName(st.error().code));
    return false;
  }
  if (!held) {
    core::log::warn("mail {} lease lost before its outcome was recorded (attempt {}, smtp {})",
                    m.id, m.attempt, result.smtp_code);
    return false;
  }
  switch (next) {
    case Next::kSent:
      ++sent_;
      ++report.sent;
      core::log::info("mail {} sent (attempt {}, smtp {})", m.id, m.attempt, result.smtp_code);
      break;
    case Next::kRetry:
      ++retried_;
      ++report.retried;
      core::log::warn("mail {} retry in {}s (attempt {}): {}", m.id, Backoff(m.attempt).count(),
                      m.attempt, error);
      break;
    case Next::kFailed:
      ++failed_;
      ++report.failed;
      core::log::error("mail {} failed (attempt {}): {}", m.id, m.attempt, error);
      break;
  }
  return true;
}

DeliveryStats MailDelivery::stats() const {
  return {sent_.load(), retried_.load(), failed_.load()};
}

std::string MetricsText(const DeliveryStats& s) {
  std::string out;
  auto counter = [&](const char* name, const char* help, uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name +
           " " + std::to_string(v) + "\n";
  };
  counter("soundcheck_mail_sent_total", "Mail accepted by the SMTP server.", s.sent);
  counter("soundcheck_mail_retried_total", "Mail sends that failed transiently and wait to retry.",
          s.retried);
  counter("soundcheck_mail_failed_total", "Mail given up on (refused, erased, out of attempts).",
          s.failed);
  return out;
}

}  // namespace soundcheck::mail
