// Mail delivery end to end: the outbox in a real database (SQLite, or PostgreSQL when built
// as mail_sink_pgtest with SC_TEST_DB=postgres), SmtpSender over libcurl, and a real SMTP
// server (tests/mail/smtp_sink.py on python3-aiosmtpd) whose received messages are decoded
// by Python's email package. Checks: each message arrives exactly once with proper headers,
// a Spanish UTF-8 body and subject decode, the attachment arrives; a sink that is down means
// retry later with back-off and nothing lost; a 5xx fails the message; a 4xx retries; AUTH;
// required STARTTLS never falls back to plain text; and two delivery jobs racing over one
// database never send a row twice.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include "crypto/init.h"
#include "crypto/random.h"
#include "domain/mail/mail_service.h"
#include "mail/delivery.h"
#include "mail/smtp_sender.h"
#include "storage/migrations.h"
#include "storage/repositories/sql_unit_of_work.h"
#include "tests/storage/pg_test_env.h"
#include "tests/storage/test_util.h"
#include "tests/support/smtp_sink.h"

namespace soundcheck::mail {
namespace {

using domain::UnitOfWork;
using domain::mail::MailRequest;
using testing::SmtpSink;

constexpr int64_t kStart = 1'790'000'000;

bool OnPostgres() {
  const char* db = std::getenv("SC_TEST_DB");
  return db != nullptr && std::string(db) == "postgres";
}

std::string Str(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string DecodeBase64(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) continue;
    acc = (acc << 6) | static_cast<uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

// Delegates to a real transport after a pause, so two racing jobs overlap for certain.
class SlowTransport final : public MailTransport {
 public:
  explicit SlowTransport(MailTransport& inner) : inner_(inner) {}
  SendResult Send(const OutgoingMessage& m) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return inner_.Send(m);
  }

 private:
  MailTransport& inner_;
};

class MailSinkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::InitCrypto()); }

  void SetUp() override {
    tmp_ = std::make_unique<storage::test::TempDir>();
    if (OnPostgres()) {
      schema_ = std::make_unique<storage::test::PgSchema>("sc_mail");
      ASSERT_TRUE(schema_->ok());
    }
    db_ = OpenDb();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(storage::Migrate(*db_, storage::EmbeddedMigrations(db_->dialect())));
    runner_ = std::make_unique<storage::SqlTransactionRunner>(*db_);
    master_ = std::make_unique<crypto::MasterKey>(
        *crypto::MasterKey::FromBytes(crypto::RandomBytes(32), "mk-test"));
    keys_ = std::make_unique<domain::keys::KeyService>(*master_);
    auto catalogs =
        core::i18n::Translations::Load(std::string(SC_SOURCE_DIR) + "/i18n", "mail", {"en", "es"});
    ASSERT_TRUE(catalogs) << catalogs.error().message;
    auto service = domain::mail::MailService::Create(*catalogs, *keys_, clock_, ids_);
    ASSERT_TRUE(service) << service.error().message;
    service_ = std::make_unique<domain::mail::MailService>(std::move(service).value());
    options_.from = "Soundcheck <noreply@example.org>";
    options_.max_attempts = 5;
    options_.batch_size = 10;
  }

  std::unique_ptr<storage::Database> OpenDb() {
    storage::OpenOptions o;
    o.pool_size = 4;
    auto db = OnPostgres() ? storage::OpenDatabase(schema_->Url(), o)
                           : storage::OpenDatabase("sqlite:" + tmp_->File("mail.db"), o);
    EXPECT_TRUE(db) << (db ? "" : db.error().message);
    return db ? std::move(db).value() : nullptr;
  }

  std::unique_ptr<SmtpSender> Sender(const std::string& url, std::string user = "",
                                     std::string password = "") {
    SmtpOptions o;
    o.url = url;
    o.starttls = false;  // a sink on loopback
    o.username = std::move(user);
    o.password = std::move(password);
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.timeout = std::chrono::milliseconds(10000);
    auto s = SmtpSender::Create(o);
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return s ? std::move(s).value() : nullptr;
  }

  std::unique_ptr<MailDelivery> Job(domain::TransactionRunner& runner, MailTransport& transport) {
    auto job = MailDelivery::Create(runner, *service_, transport, clock_, options_);
    EXPECT_TRUE(job) << (job ? "" : job.error().message);
    return job ? std::move(job).value() : nullptr;
  }

  std::string Enqueue(const MailRequest& r) {
    std::string id;
    auto st = runner_->Run([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(id, service_->Enqueue(uow, r));
      return core::Ok();
    });
    EXPECT_TRUE(st) << (st ? "" : st.error().message);
    return id;
  }

  domain::MailRecord Row(const std::string& id) {
    domain::MailRecord out;
    EXPECT_TRUE(runner_->RunReadOnly([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(auto row, uow.mail().FindById(id));
      if (row) out = *row;
      return core::Ok();
    }));
    return out;
  }

  RunReport RunAt(MailDelivery& job, int64_t offset) {
    clock_.Set(core::FromUnixSeconds(kStart + offset));
    auto r = job.RunOnce(core::FromUnixSeconds(kStart + offset));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : RunReport{};
  }

  std::string SinkDir(const std::string& name) { return tmp_->File(name); }

  static MailRequest StatusLink(std::string lang, std::string name, std::string to) {
    MailRequest r;
    r.template_key = "mail.status_link";
    r.language = std::move(lang);
    r.recipient = std::move(to);
    r.subject_id = "person-" + r.recipient;
    r.params = {{"name", std::move(name)},
                {"link", "https://soundcheck.example.org/status#t=k3y"},
                {"minutes", "30"},
                {"crisis_line", "988"}};
    return r;
  }

  core::ManualClock clock_{core::FromUnixSeconds(kStart)};
  core::SequentialIdGenerator ids_;
  std::unique_ptr<storage::test::TempDir> tmp_;
  std::unique_ptr<storage::test::PgSchema> schema_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlTransactionRunner> runner_;
  std::unique_ptr<crypto::MasterKey> master_;
  std::unique_ptr<domain::keys::KeyService> keys_;
  std::unique_ptr<domain::mail::MailService> service_;
  DeliveryOptions options_;
};

TEST_F(MailSinkTest, EachMessageArrivesOnceWithHeadersBodyAndAttachment) {
  SmtpSink sink(SinkDir("sink"));
  ASSERT_TRUE(sink.ok()) << sink.error();
  auto sender = Sender(sink.url());
  auto job = Job(*runner_, *sender);

  std::string en = Enqueue(StatusLink("en", "Sam Fictional", "sam.fictional@example.org"));
  std::string es = Enqueue(StatusLink("es", "Renée Ficticia", "renee.ficticia@example.org"));
  MailRequest booking;
  booking.template_key = "mail.support_booking";
  booking.language = "es";
  booking.recipient = "renee.ficticia@example.org";
  booking.subject_id = "person-renee";
  booking.params = {{"when_local", "martes 1 de diciembre, 15:00"},
                    {"time_zone", "America/Mexico_City"}};
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Soundcheck//ES\r\nBEGIN:VEVENT\r\n"
      "SUMMARY:Llamada de apoyo\r\nDTSTART:20261201T210000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  booking.attachment = domain::mail::Attachment{
      "support-call.ics", "text/calendar; charset=UTF-8; method=PUBLISH", ics};
  std::string bk = Enqueue(booking);
  MailRequest alert;
  alert.template_key = "mail.alert_escalation";
  alert.language = "en";
  alert.recipient = "supervisor.fictional@example.org";
  alert.subject_id = "user-supervisor";
  alert.params = {{"reference", "SC-TEST-0001"},
                  {"minutes", "15"},
                  {"link", "https://soundcheck.example.org/cases/x"}};
  std::string al = Enqueue(alert);

  RunReport r = RunAt(*job, 0);
  EXPECT_EQ(r.claimed, 4);
  EXPECT_EQ(r.sent, 4);
  auto got = sink.Received();
  ASSERT_EQ(got.size(), 4u);

  std::map<std::string, boost::json::object> by_id;
  for (auto& m : got) {
    std::string mid = Str(m, "message_id");
    EXPECT_EQ(by_id.count(mid), 0u) << "duplicate " << mid;
    by_id[mid] = m;
    boost::json::array defects = m.at("defects").as_array();
    EXPECT_TRUE(defects.empty()) << boost::json::serialize(defects);
    EXPECT_EQ(Str(m, "from"), "Soundcheck <noreply@example.org>");
    EXPECT_EQ(Str(m, "mail_from"), "noreply@example.org");
    EXPECT_EQ(Str(m, "date"), "Mon, 21 Sep 2026 14:13:20 +0000");
    const std::string raw = Str(m, "raw");
    EXPECT_NE(raw.find("\r\nMIME-Version: 1.0\r\n"), std::string::npos);
    EXPECT_NE(raw.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
    EXPECT_NE(raw.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  }
  ASSERT_EQ(by_id.size(), 4u);

  const auto& m_en = by_id.at("<" + en + "@example.org>");
  EXPECT_EQ(Str(m_en, "to"), "sam.fictional@example.org");
  EXPECT_EQ(m_en.at("rcpt_tos").as_array().at(0).as_string(), "sam.fictional@example.org");
  EXPECT_EQ(Str(m_en, "subject"), "Your Soundcheck status link");
  EXPECT_EQ(Str(m_en, "content_language"), "en");
  EXPECT_EQ(Str(m_en, "text").rfind("Hi Sam Fictional,", 0), 0u) << Str(m_en, "text");

  const auto& m_es = by_id.at("<" + es + "@example.org>");
  EXPECT_EQ(Str(m_es, "subject"), "Tu enlace de estado de Soundcheck");
  EXPECT_EQ(Str(m_es, "text_charset"), "utf-8");
  std::string text_es = Str(m_es, "text");
  EXPECT_EQ(text_es.rfind("Hola, Renée Ficticia:", 0), 0u) << text_es;
  EXPECT_NE(text_es.find("después de 30 minutos"), std::string::npos) << text_es;
  EXPECT_NE(text_es.find("https://soundcheck.example.org/status#t=k3y"), std::string::npos);
  EXPECT_NE(text_es.find("También puedes comunicarte con 988"), std::string::npos);
  // Byte for byte what was rendered, with CRLF line ends: nothing altered on the way.
  auto rendered = service_->Render(StatusLink("es", "Renée Ficticia", "x@example.org"));
  ASSERT_TRUE(rendered);
  std::string crlf;
  for (char c : rendered->body) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(text_es, crlf + "\r\n");

  const auto& m_bk = by_id.at("<" + bk + "@example.org>");
  // A subject with "á" went out RFC 2047-encoded and reads back intact.
  EXPECT_EQ(Str(m_bk, "subject"), "Tu llamada de apoyo de Soundcheck está reservada");
  EXPECT_NE(Str(m_bk, "raw").find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(Str(m_bk, "content_type"), "multipart/mixed");
  EXPECT_NE(Str(m_bk, "text").find("America/Mexico_City"), std::string::npos);
  auto atts = m_bk.at("attachments").as_array();
  ASSERT_EQ(atts.size(), 1u);
  const auto& att = atts[0].as_object();
  EXPECT_EQ(Str(att, "filename"), "support-call.ics");
  EXPECT_EQ(Str(att, "content_type"), "text/calendar");
  EXPECT_EQ(Str(att.at("params").as_object(), "method"), "PUBLISH");
  EXPECT_EQ(DecodeBase64(Str(att, "content_base64")), ics);

  const auto& m_al = by_id.at("<" + al + "@example.org>");
  EXPECT_EQ(Str(m_al, "subject"), "An urgent case is waiting for acknowledgement");
  EXPECT_NE(Str(m_al, "text").find("SC-TEST-0001"), std::string::npos);

  for (const auto& id : {en, es, bk, al}) {
    auto row = Row(id);
    EXPECT_EQ(row.status, "sent");
    EXPECT_EQ(row.attempts, 1);
    EXPECT_EQ(row.sent_at, kStart);
  }
  EXPECT_EQ(RunAt(*job, 3600).claimed, 0);
  EXPECT_EQ(sink.Received().size(), 4u);  // exactly once
}

TEST_F(MailSinkTest, SinkDownMeansRetryLaterWithBackoffAndNothingLost) {
  // Learn a free port, then take the sink down.
  auto sink = std::make_unique<SmtpSink>(SinkDir("sink"));
  ASSERT_TRUE(sink->ok()) << sink->error();
  const int port = sink->port();
  const std::string url = sink->url();
  sink->Stop();
  auto sender = Sender(url);
  auto job = Job(*runner_, *sender);
  std::string a = Enqueue(StatusLink("en", "Sam Fictional", "sam.fictional@example.org"));
  std::string b = Enqueue(StatusLink("es", "Renée Ficticia", "renee.ficticia@example.org"));

  RunReport r = RunAt(*job, 0);
  EXPECT_EQ(r.retried, 2);
  for (const auto& id : {a, b}) {
    auto row = Row(id);
    EXPECT_EQ(row.status, "pending");
    EXPECT_EQ(row.attempts, 1);
    EXPECT_EQ(row.next_attempt_at, kStart + 30);
    EXPECT_NE(row.last_error.find("curl 7"), std::string::npos) << row.last_error;
    EXPECT_EQ(row.last_error.find("example.org"), std::string::npos);
  }
  r = RunAt(*job, 30);  // still down: the second wait is twice the first
  EXPECT_EQ(r.retried, 2);
  EXPECT_EQ(Row(a).next_attempt_at, kStart + 30 + 60);

  sink = std::make_unique<SmtpSink>(SinkDir("sink"), std::vector<std::string>{}, port);
  ASSERT_TRUE(sink->ok()) << sink->error();
  EXPECT_EQ(RunAt(*job, 89).claimed, 0);  // not before its time
  r = RunAt(*job, 90);
  EXPECT_EQ(r.sent, 2);
  auto got = sink->Received();
  ASSERT_EQ(got.size(), 2u);
  std::set<std::string> ids{Str(got[0], "message_id"), Str(got[1], "message_id")};
  EXPECT_EQ(ids, (std::set<std::string>{"<" + a + "@example.org>", "<" + b + "@example.org>"}));
  EXPECT_EQ(Row(a).status, "sent");
  EXPECT_EQ(Row(a).attempts, 3);
  EXPECT_EQ(RunAt(*job, 100000).claimed, 0);
  EXPECT_EQ(sink->Received().size(), 2u);
  EXPECT_EQ(job->stats().retried, 4u);
  EXPECT_EQ(job->stats().sent, 2u);
}

TEST_F(MailSinkTest, PermanentRefusalFailsAndTemporaryRefusalRetries) {
  {
    SmtpSink sink(SinkDir("reject550"), {"--reject-rcpt", "550"});
    ASSERT_TRUE(sink.ok()) << sink.error();
    auto sender = Sender(sink.url());
    auto job = Job(*runner_, *sender);
    std::string id = Enqueue(StatusLink("en", "Sam Fictional", "sam.fictional@example.org"));
    RunReport r = RunAt(*job, 0);
    EXPECT_EQ(r.failed, 1);
    auto row = Row(id);
    EXPECT_EQ(row.status, "failed");
    EXPECT_EQ(row.attempts, 1);
    EXPECT_EQ(row.last_error.rfind("smtp 550", 0), 0u) << row.last_error;
    EXPECT_EQ(RunAt(*job, 100000).claimed, 0);  // never retried
    EXPECT_TRUE(sink.Received().empty());
  }
  {
    SmtpSink sink(SinkDir("reject554data"), {"--reject-data", "554"});
    ASSERT_TRUE(sink.ok()) << sink.error();
    auto sender = Sender(sink.url());
    auto job = Job(*runner_, *sender);
    std::string id = Enqueue(StatusLink("en", "Sam Fictional", "sam.fictional@example.org"));
    EXPECT_EQ(RunAt(*job, 200000).failed, 1);
    EXPECT_EQ(Row(id).status, "failed");
    EXPECT_EQ(Row(id).last_error.rfind("smtp 554", 0), 0u) << Row(id).last_error;
  }
  {
    SmtpSink sink(SinkDir("reject451"), {"--reject-rcpt", "451"});
    ASSERT_TRUE(sink.ok()) << sink.error();
    auto sender = Sender(sink.url());
    auto job = Job(*runner_, *sender);
    std::string id = Enqueue(StatusLink("en", "Sam Fictional", "sam.fictional@example.org"));
    EXPECT_EQ(RunAt(*job, 300000).retried, 1);
    auto row = Row(id);
    EXPECT_EQ(row.status, "pending");
    EXPECT_EQ(row.next_attempt_at, kStart + 300000 + 30);
    EXPECT_EQ(row.last_error.rfind("smtp 451", 0), 0u) << row.last_error;
  }
}

TEST_F(MailSinkTest, AuthenticatesWithUserAndPassword) {
  SmtpSink sink(SinkDir("auth"), {"--auth", "soundcheck:test-only-password"});
  ASSERT_TRUE(sink.ok()) << sink.error();
  {
    // A wrong password is our configuration's fault, not the message's: it waits.
    auto sender = Sender(sink.url(), "soundcheck", "wrong");
    auto job = Job(*runner_, *sender);
    std::string id = Enqueue(StatusLink("en", "Sam Fictional", "sam.fictional@example.org"));
    EXPECT_EQ(RunAt(*job, 0).retried, 1);
    EXPECT_EQ(Row(id).status, "pending");
    EXPECT_EQ(Row(id).last_error.find("wrong"), std::string::npos);
  }
  auto sender = Sender(sink.url(), "soundcheck", "test-only-password");
  auto job = Job(*runner_, *sender);
  EXPECT_EQ(RunAt(*job, 30).sent, 1);
  EXPECT_EQ(sink.Received().size(), 1u);
}

// With mail.starttls on, a relay that offers no STARTTLS gets nothing: the message waits
// (retry), it is never sent in the clear.
TEST_F(MailSinkTest, RequiredStarttlsNeverSendsInTheClear) {
  SmtpSink sink(SinkDir("plain"));
  ASSERT_TRUE(sink.ok()) << sink.error();
  SmtpOptions o;
  o.url = sink.url();
  o.starttls = true;
  auto sender = SmtpSender::Create(o);
  ASSERT_TRUE(sender);
  auto job = Job(*runner_, **sender);
  std::string id = Enqueue(StatusLink("en", "Sam Fictional", "sam.fictional@example.org"));
  EXPECT_EQ(RunAt(*job, 0).retried, 1);
  EXPECT_EQ(Row(id).status, "pending");
  EXPECT_NE(Row(id).last_error.find("curl 64"), std::string::npos) << Row(id).last_error;
  EXPECT_TRUE(sink.Received().empty());
}

TEST_F(MailSinkTest, ARolledBackChangeSendsNothing) {
  SmtpSink sink(SinkDir("sink"));
  ASSERT_TRUE(sink.ok()) << sink.error();
  auto sender = Sender(sink.url());
  auto job = Job(*runner_, *sender);
  auto st = runner_->Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(
        std::string id,
        service_->Enqueue(uow, StatusLink("en", "Sam Fictional", "sam.fictional@example.org")));
    EXPECT_FALSE(id.empty());
    return core::Error::Conflict("the change that caused the mail failed");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(RunAt(*job, 0).claimed, 0);
  EXPECT_TRUE(sink.Received().empty());
}

// Two nodes (two database handles, two jobs, two threads) drain one outbox at once: every
// message arrives exactly once.
TEST_F(MailSinkTest, TwoJobsRacingNeverSendARowTwice) {
  SmtpSink sink(SinkDir("sink"));
  ASSERT_TRUE(sink.ok()) << sink.error();
  constexpr int kMessages = 40;
  std::set<std::string> expected;
  for (int i = 0; i < kMessages; ++i) {
    std::string id = Enqueue(StatusLink(i % 2 ? "es" : "en", "Sam Fictional",
                                        "sam" + std::to_string(i) + ".fictional@example.org"));
    expected.insert("<" + id + "@example.org>");
  }
  auto other_db = OpenDb();
  ASSERT_NE(other_db, nullptr);
  storage::SqlTransactionRunner other_runner(*other_db);
  options_.batch_size = 3;
  auto sender_a = Sender(sink.url());
  auto sender_b = Sender(sink.url());
  SlowTransport slow_a(*sender_a);
  SlowTransport slow_b(*sender_b);
  auto job_a = Job(*runner_, slow_a);
  auto job_b = Job(other_runner, slow_b);
  ASSERT_TRUE(job_a && job_b);

  std::atomic<int> sent{0};
  std::atomic<bool> go{false};
  auto drain = [&](MailDelivery& job) {
    while (!go) std::this_thread::yield();
    for (int idle = 0; idle < 3;) {
      auto r = job.RunOnce(core::FromUnixSeconds(kStart));
      ASSERT_TRUE(r) << r.error().message;
      sent += r->sent;
      idle = r->claimed == 0 ? idle + 1 : 0;
    }
  };
  std::thread a(drain, std::ref(*job_a));
  std::thread b(drain, std::ref(*job_b));
  go = true;
  a.join();
  b.join();

  EXPECT_EQ(sent.load(), kMessages);
  auto got = sink.Received();
  std::multiset<std::string> ids;
  for (const auto& m : got) ids.insert(Str(m, "message_id"));
  EXPECT_EQ(got.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), expected);
  for (const auto& id : expected) EXPECT_EQ(ids.count(id), 1u) << id << " arrived twice";
  // Both nodes did part of the work: they overlapped (each send takes at least 10 ms).
  EXPECT_GT(job_a->stats().sent, 0u);
  EXPECT_GT(job_b->stats().sent, 0u);
  EXPECT_EQ(job_a->stats().sent + job_b->stats().sent, static_cast<uint64_t>(kMessages));
  domain::MailCounts counts;
  ASSERT_TRUE(runner_->RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(counts, uow.mail().Counts());
    return core::Ok();
  }));
  EXPECT_EQ(counts.sent, kMessages);
  EXPECT_EQ(counts.pending + counts.sending + counts.failed, 0);
}

}  // namespace
}  // namespace soundcheck::mail
