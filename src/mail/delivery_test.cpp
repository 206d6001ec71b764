// The delivery job on in-memory repositories with a scripted transport: sending, back-off,
// giving up, permanent refusals, leases, erased keys, stable Message-IDs, and log lines
// free of addresses and bodies.
#include "mail/delivery.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <deque>
#include <sstream>
#include <thread>

#include "crypto/init.h"
#include "crypto/random.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::mail {
namespace {

using domain::UnitOfWork;
using domain::mail::MailRequest;
using Outcome = SendResult::Outcome;
using std::chrono::seconds;

constexpr int64_t kStart = 1'790'000'000;

class FakeTransport final : public MailTransport {
 public:
  SendResult Send(const OutgoingMessage& m) override {
    std::lock_guard lock(mu_);
    sent.push_back(m);
    if (on_send) on_send(m);
    if (script.empty()) return {Outcome::kSent, 250, ""};
    SendResult r = script.front();
    script.pop_front();
    return r;
  }
  std::mutex mu_;
  std::deque<SendResult> script;
  std::vector<OutgoingMessage> sent;
  std::function<void(const OutgoingMessage&)> on_send;
};

const SendResult kBusy{Outcome::kRetry, 451, "smtp 451"};
const SendResult kDown{Outcome::kRetry, 0, "curl 7 Couldn't connect to server"};
const SendResult kRefused{Outcome::kReject, 550, "smtp 550"};

class DeliveryTest : public ::testing::Test {
 protected:
  DeliveryTest()
      : clock_(core::FromUnixSeconds(kStart)),
        master_(*crypto::MasterKey::FromBytes(crypto::RandomBytes(32), "mk-1")),
        keys_(master_),
        service_(*domain::mail::MailService::Create(
            *core::i18n::Translations::Load(std::string(SC_SOURCE_DIR) + "/i18n", "mail",
                                            {"en", "es"}),
            keys_, clock_, ids_)) {
    options_.from = "Soundcheck <noreply@example.org>";
    options_.max_attempts = 4;
    options_.lease = seconds(600);
  }
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::InitCrypto()); }

  std::unique_ptr<MailDelivery> Job() {
    auto job = MailDelivery::Create(runner_, service_, transport_, clock_, options_);
    EXPECT_TRUE(job) << (job ? "" : job.error().message);
    return job ? std::move(job).value() : nullptr;
  }

  std::string Enqueue(std::string subject_id = "person-1") {
    MailRequest r;
    r.template_key = "mail.status_link";
    r.language = "en";
    r.recipient = "robin.fictional@example.org";
    r.subject_id = std::move(subject_id);
    r.params = {{"name", "Robin Fictional"},
                {"link", "https://soundcheck.example.org/s/xyz"},
                {"minutes", "30"}};
    std::string id;
    EXPECT_TRUE(runner_.Run([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(id, service_.Enqueue(uow, r));
      return core::Ok();
    }));
    return id;
  }

  const domain::MailRecord& Row(const std::string& id) { return runner_.state().mail.rows.at(id); }
  core::TimePoint At(int64_t offset) { return core::FromUnixSeconds(kStart + offset); }
  RunReport Run(int64_t offset) {
    clock_.Set(At(offset));
    auto r = job_->RunOnce(At(offset));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : RunReport{};
  }

  core::ManualClock clock_;
  core::SequentialIdGenerator ids_;
  crypto::MasterKey master_;
  domain::keys::KeyService keys_;
  domain::testing::MemoryRunner runner_;
  domain::mail::MailService service_;
  FakeTransport transport_;
  DeliveryOptions options_;
  std::unique_ptr<MailDelivery> job_;
};

TEST_F(DeliveryTest, SendsDueMailOnceAndDropsTheSealedBody) {
  job_ = Job();
  std::string a = Enqueue();
  std::string b = Enqueue();
  RunReport r = Run(0);
  EXPECT_EQ(r.claimed, 2);
  EXPECT_EQ(r.sent, 2);
  ASSERT_EQ(transport_.sent.size(), 2u);
  const OutgoingMessage& m = transport_.sent[0];
  EXPECT_EQ(m.to, "robin.fictional@example.org");
  EXPECT_EQ(m.from, "Soundcheck <noreply@example.org>");
  EXPECT_EQ(m.subject, "Your Soundcheck status link");
  EXPECT_EQ(m.message_id, "<" + a + "@example.org>");
  EXPECT_NE(m.body.find("https://soundcheck.example.org/s/xyz"), std::string::npos);
  EXPECT_EQ(Row(a).status, "sent");
  EXPECT_EQ(Row(a).sent_at, kStart);
  EXPECT_TRUE(Row(a).body_sealed.empty());
  EXPECT_FALSE(Row(a).to_sealed.empty());
  EXPECT_EQ(Row(b).status, "sent");
  EXPECT_EQ(Run(1).claimed, 0);  // nothing twice
  EXPECT_EQ(transport_.sent.size(), 2u);
  EXPECT_EQ(job_->stats().sent, 2u);
}

TEST_F(DeliveryTest, BackoffDoublesFromThirtySecondsUpToAnHour) {
  options_.max_attempts = 20;
  job_ = Job();
  std::vector<int64_t> waits;
  for (int attempt = 1; attempt <= 9; ++attempt) waits.push_back(job_->Backoff(attempt).count());
  EXPECT_EQ(waits, (std::vector<int64_t>{30, 60, 120, 240, 480, 960, 1920, 3600, 3600}));
}

TEST_F(DeliveryTest, TransientFailuresRetryWithBackoffThenSucceed) {
  job_ = Job();
  std::string id = Enqueue();
  transport_.script = {kDown, kBusy};
  EXPECT_EQ(Run(0).retried, 1);
  EXPECT_EQ(Row(id).status, "pending");
  EXPECT_EQ(Row(id).next_attempt_at, kStart + 30);
  EXPECT_EQ(Row(id).last_error, "curl 7 Couldn't connect to server");
  EXPECT_EQ(Run(29).claimed, 0);  // not before its time
  EXPECT_EQ(Run(30).retried, 1);
  EXPECT_EQ(Row(id).next_attempt_at, kStart + 30 + 60);
  EXPECT_EQ(Row(id).last_error, "smtp 451");
  EXPECT_EQ(Run(90).sent, 1);
  EXPECT_EQ(Row(id).status, "sent");
  EXPECT_EQ(Row(id).attempts, 3);
  EXPECT_EQ(Row(id).last_error, "");
  // Every try is the same message: same Message-ID and Date, so receivers can dedupe.
  ASSERT_EQ(transport_.sent.size(), 3u);
  for (const auto& m : transport_.sent) {
    EXPECT_EQ(m.message_id, transport_.sent[0].message_id);
    EXPECT_EQ(m.date, core::FromUnixSeconds(kStart));
  }
  auto s = job_->stats();
  EXPECT_EQ(s.sent, 1u);
  EXPECT_EQ(s.retried, 2u);
  EXPECT_EQ(s.failed, 0u);
}

TEST_F(DeliveryTest, GivesUpAfterMaxAttemptsButKeepsTheRow) {
  job_ = Job();  // max_attempts = 4
  std::string id = Enqueue();
  transport_.script = {kBusy, kBusy, kBusy, kBusy, kBusy};
  int64_t t = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Run(t).retried, 1);
    t = Row(id).next_attempt_at - kStart;
  }
  EXPECT_EQ(Run(t).failed, 1);
  EXPECT_EQ(Row(id).status, "failed");
  EXPECT_EQ(Row(id).attempts, 4);
  EXPECT_EQ(Row(id).last_error, "attempts exhausted; last: smtp 451");
  EXPECT_EQ(Run(t + 100000).claimed, 0);
  EXPECT_EQ(transport_.sent.size(), 4u);
  EXPECT_EQ(job_->stats().failed, 1u);
}

TEST_F(DeliveryTest, PermanentRefusalFailsAtOnce) {
  job_ = Job();
  std::string id = Enqueue();
  std::string other = Enqueue();
  transport_.script = {kRefused};
  RunReport r = Run(0);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.sent, 1);
  EXPECT_EQ(Row(id).status, "failed");
  EXPECT_EQ(Row(id).attempts, 1);
  EXPECT_EQ(Row(id).last_error, "smtp 550");
  EXPECT_EQ(Row(other).status, "sent");
  EXPECT_EQ(Run(100000).claimed, 0);
}

TEST_F(DeliveryTest, AClaimThatNeverReportedIsTakenOverAfterItsLease) {
  job_ = Job();
  std::string id = Enqueue();
  // Another node claims the row and dies before sending or recording anything.
  ASSERT_TRUE(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto rows, uow.mail().ClaimDue(kStart, kStart + 600, 10));
    EXPECT_EQ(rows.size(), 1u);
    return core::Ok();
  }));
  EXPECT_EQ(Run(599).claimed, 0);  // still leased
  RunReport r = Run(600);
  EXPECT_EQ(r.sent, 1);
  EXPECT_EQ(Row(id).attempts, 2);
  EXPECT_EQ(transport_.sent.size(), 1u);
}

TEST_F(DeliveryTest, ClaimsCutShortByCrashesCountAsAttempts) {
  options_.max_attempts = 2;
  job_ = Job();
  std::string id = Enqueue();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(runner_.Run([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(auto rows,
                          uow.mail().ClaimDue(kStart + 1000 * i, kStart + 1000 * i + 600, 10));
      EXPECT_EQ(rows.size(), 1u);
      return core::Ok();
    }));
  }
  EXPECT_EQ(Run(5000).failed, 1);
  EXPECT_EQ(Row(id).status, "failed");
  EXPECT_EQ(Row(id).last_error, "attempts exhausted");
  EXPECT_TRUE(transport_.sent.empty());
}

TEST_F(DeliveryTest, DoesNotSendOnceItsLeaseHasRunOut) {
  options_.lease = seconds(60);
  job_ = Job();
  std::string first = Enqueue();
  std::string second = Enqueue();
  // The first send takes longer than the whole lease.
  transport_.on_send = [&](const OutgoingMessage&) { clock_.Advance(std::chrono::seconds(61)); };
  clock_.Set(At(0));
  auto r = job_->RunOnce(At(0));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->sent, 1);
  EXPECT_EQ(r->skipped, 1);
  EXPECT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(Row(second).status, "sending");  // claimable again: its lease is over
  transport_.on_send = nullptr;
  EXPECT_EQ(Run(200).sent, 1);
  EXPECT_EQ(Row(second).status, "sent");
  EXPECT_EQ(Row(first).attempts, 1);
  EXPECT_EQ(Row(second).attempts, 2);
}

TEST_F(DeliveryTest, AnOutcomeIsNotRecordedOverAnotherClaim) {
  options_.lease = seconds(60);
  job_ = Job();
  std::string id = Enqueue();
  // While our send is in flight the lease runs out and another node takes the row over.
  bool taken_over = false;
  transport_.on_send = [&](const OutgoingMessage&) {
    if (taken_over) return;
    taken_over = true;
    clock_.Advance(std::chrono::seconds(120));
    EXPECT_TRUE(runner_.Run([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(auto rows, uow.mail().ClaimDue(kStart + 120, kStart + 180, 10));
      EXPECT_EQ(rows.size(), 1u);
      return core::Ok();
    }));
  };
  transport_.script = {kBusy};
  clock_.Set(At(0));
  auto r = job_->RunOnce(At(0));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->retried, 0);
  EXPECT_EQ(r->skipped, 1);
  EXPECT_EQ(Row(id).status, "sending");  // the other claim's, untouched
  EXPECT_EQ(Row(id).attempts, 2);
}

TEST_F(DeliveryTest, MailOfAnErasedPersonIsNeverSent) {
  job_ = Job();
  std::string gone = Enqueue("person-erased");
  std::string kept = Enqueue("person-kept");
  ASSERT_TRUE(runner_.Run(
      [](UnitOfWork& uow) { return domain::keys::KeyService::Erase(uow, "person-erased"); }));
  RunReport r = Run(0);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.sent, 1);
  EXPECT_EQ(Row(gone).status, "failed");
  EXPECT_EQ(Row(gone).last_error, "data key erased");
  EXPECT_EQ(Row(kept).status, "sent");
  EXPECT_EQ(transport_.sent.size(), 1u);
}

// A row whose sealed values do not open (damaged, or moved from another row) waits and
// then fails, without holding up the rest of the outbox.
TEST_F(DeliveryTest, ARowThatDoesNotOpenDoesNotBlockTheOthers) {
  options_.max_attempts = 2;
  job_ = Job();
  std::string bad = Enqueue();
  std::string good = Enqueue();
  runner_.state().mail.rows.at(bad).body_sealed = Row(good).body_sealed;  // moved
  RunReport r = Run(0);
  EXPECT_EQ(r.sent, 1);
  EXPECT_EQ(r.retried, 1);
  EXPECT_EQ(Row(good).status, "sent");
  EXPECT_EQ(Row(bad).status, "pending");
  EXPECT_EQ(Row(bad).last_error, "cannot open sealed values: internal");
  EXPECT_EQ(Run(30).failed, 1);
  EXPECT_EQ(Row(bad).status, "failed");
  EXPECT_EQ(transport_.sent.size(), 1u);
}

TEST_F(DeliveryTest, RefusesABadFromOrOptions) {
  options_.from = "Soundcheck";
  EXPECT_FALSE(MailDelivery::Create(runner_, service_, transport_, clock_, options_));
  options_.from = "noreply@example.org";
  options_.max_attempts = 0;
  EXPECT_FALSE(MailDelivery::Create(runner_, service_, transport_, clock_, options_));
}

TEST_F(DeliveryTest, LogLinesCarryIdsAndCodesOnly) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = spdlog::default_logger();
  logger->sinks().push_back(sink);
  auto level = logger->level();
  logger->set_level(spdlog::level::debug);

  job_ = Job();
  std::string a = Enqueue();
  std::string b = Enqueue();
  std::string c = Enqueue();
  transport_.script = {kBusy, kRefused};
  Run(0);
  Run(1000);

  logger->sinks().pop_back();
  logger->set_level(level);
  std::string log = captured.str();
  EXPECT_NE(log.find(a), std::string::npos) << log;
  EXPECT_NE(log.find("smtp 451"), std::string::npos) << log;
  EXPECT_NE(log.find("smtp 550"), std::string::npos) << log;
  for (const char* secret : {"robin", "Robin", "example.org", "status link", "xyz"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in:\n" << log;
  }
}

TEST(MetricsTextTest, RendersCounters) {
  std::string text = MetricsText({3, 2, 1});
  EXPECT_NE(text.find("soundcheck_mail_sent_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("soundcheck_mail_retried_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("soundcheck_mail_failed_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE soundcheck_mail_failed_total counter\n"), std::string::npos);
}

}  // namespace
}  // namespace soundcheck::mail
