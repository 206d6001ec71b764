// The mail delivery job: takes due messages from the outbox (mail_outbox) and sends them.
//
// Guarantees:
// - Never lost: a message leaves the outbox only as `sent` (the server accepted it) or
//   `failed` (refused for good with a 5xx, its data key erased, or max_attempts used up);
//   failed rows stay in the table with their last SMTP code for an operator to see.
// - No duplicates from the job itself: rows are claimed with a lease in one transaction (a
//   conditional UPDATE; FOR UPDATE SKIP LOCKED on PostgreSQL), so two nodes or threads
//   never send the same row while the lease runs, and a sender whose lease has run out
//   before its turn does not send.
// - At-least-once at the SMTP boundary: if a process dies (or the database is unreachable)
//   between the server's 250 and the `sent` mark, the row is claimed again when its lease
//   expires and sent once more. Every retry carries the same Message-ID (the outbox id) and
//   Date, so receivers can recognise the copy. Nothing stronger is possible with SMTP.
// - Back-off: a transient failure (4xx, connection, TLS, timeout) reschedules the row after
//   first_retry, doubling per attempt up to max_retry; after max_attempts it is failed.
//   Every claim counts as an attempt, including one cut short by a crash.
// - Logs carry the outbox id, attempt and SMTP/engine codes only — never an address, a
//   subject or a body.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/result.h"
#include "domain/mail/mail_service.h"
#include "domain/unit_of_work.h"
#include "mail/transport.h"

namespace soundcheck::mail {

struct DeliveryOptions {
  std::string from;  // mail.from: "Soundcheck <noreply@example.org>"
  int max_attempts = 8;
  std::chrono::seconds first_retry{30};
  std::chrono::seconds max_retry{3600};
  // How long a claim holds its rows. Must exceed batch_size × the transport's overall
  // timeout, or a slow batch outlives its lease and another node may send a row again.
  std::chrono::seconds lease{15 * 60};
  int batch_size = 10;
};

// Totals since start, for metrics (monotonic counters).
struct DeliveryStats {
  uint64_t sent = 0;
  uint64_t retried = 0;  // transient failures rescheduled
  uint64_t failed = 0;   // given up: refused, erased, or out of attempts
};

// What one RunOnce did.
struct RunReport {
  int claimed = 0;
  int sent = 0;
  int retried = 0;
  int failed = 0;
  int skipped = 0;  // lease ran out before sending, or the outcome could not be recorded
};

class MailDelivery {
 public:
  // Everything passed must outlive the job. Errors: kInvalidArgument for a bad From or
  // options out of range.
  static core::Result<std::unique_ptr<MailDelivery>> Create(domain::TransactionRunner& runner,
                                                            const domain::mail::MailService& mail,
                                                            MailTransport& transport,
                                                            const core::Clock& clock,
                                                            DeliveryOptions options);

  // Claims the messages due at `now` (at most batch_size), sends each outside any
  // transaction, and records each outcome in its own transaction; the injected clock stamps
  // those. Returns what it did; an error only when the claim itself failed (nothing was
  // sent then). Safe to call from several threads and nodes at once.
  core::Result<RunReport> RunOnce(core::TimePoint now);

  DeliveryStats stats() const;
  int batch_size() const { return options_.batch_size; }
  // The wait before the retry that follows failed attempt `attempt` (1-based).
  std::chrono::seconds Backoff(int attempt) const;

 private:
  MailDelivery(domain::TransactionRunner& runner, const domain::mail::MailService& mail,
               MailTransport& transport, const core::Clock& clock, DeliveryOptions options,
               std::string from_address);
  // Records the outcome of claim (id, attempt); false when the claim no longer held the row.
  bool Record(const domain::mail::OpenedMail& m, const SendResult& result, RunReport& report);

  domain::TransactionRunner& runner_;
  const domain::mail::MailService& mail_;
  MailTransport& transport_;
  const core::Clock& clock_;
  DeliveryOptions options_;
  std::string from_address_;
  std::atomic<uint64_t> sent_{0};
  std::atomic<uint64_t> retried_{0};
  std::atomic<uint64_t> failed_{0};
};

// Prometheus exposition lines for the counters (soundcheck_mail_sent_total, ...), for the
// app to append to its metrics text.
std::string MetricsText(const DeliveryStats& stats);

}  // namespace soundcheck::mail
