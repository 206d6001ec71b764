// MailService on in-memory repositories with the shipped catalogs (i18n/*/mail.json):
// rendering in both languages, subjects free of every parameter value, validation, sealing,
// and the outbox row committing or rolling back with the caller's transaction.
#include "domain/mail/mail_service.h"

#include <gtest/gtest.h>

#include "crypto/init.h"
#include "crypto/random.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::domain::mail {
namespace {

using core::ErrorCode;

core::i18n::Translations ShippedCatalogs() {
  auto t =
      core::i18n::Translations::Load(std::string(SC_SOURCE_DIR) + "/i18n", "mail", {"en", "es"});
  EXPECT_TRUE(t) << (t ? "" : t.error().message);
  return t ? std::move(t).value() : core::i18n::Translations();
}

MailRequest StatusLink(std::string language = "en") {
  MailRequest r;
  r.template_key = "mail.status_link";
  r.language = std::move(language);
  r.recipient = "robin.fictional@example.org";
  r.subject_id = "person-1";
  r.params = {{"name", "Robin Fictional"},
              {"link", "https://soundcheck.example.org/status#t=abc"},
              {"minutes", "30"}};
  return r;
}

MailRequest Booking(std::string language = "en") {
  MailRequest r;
  r.template_key = "mail.support_booking";
  r.language = std::move(language);
  r.recipient = "robin.fictional@example.org";
  r.subject_id = "person-1";
  r.params = {{"when_local", "Tuesday 1 December, 15:00"}, {"time_zone", "America/Chicago"}};
  r.attachment = Attachment{"support-call.ics", "text/calendar; charset=UTF-8; method=PUBLISH",
                            "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"};
  return r;
}

MailRequest Escalation() {
  MailRequest r;
  r.template_key = "mail.alert_escalation";
  r.language = "en";
  r.recipient = "supervisor.fictional@example.org";
  r.subject_id = "user-7";
  r.params = {{"reference", "SC-ABCD-2345"},
              {"minutes", "15"},
              {"link", "https://soundcheck.example.org/cases/1"}};
  return r;
}

class MailServiceTest : public ::testing::Test {
 protected:
  MailServiceTest()
      : clock_(core::FromUnixSeconds(1'790'000'000)),
        master_(*crypto::MasterKey::FromBytes(crypto::RandomBytes(32), "mk-1")),
        keys_(master_),
        service_(*MailService::Create(ShippedCatalogs(), keys_, clock_, ids_)) {}
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::InitCrypto()); }

  Result<std::string> Enqueue(const MailRequest& r) {
    std::string id;
    auto st = runner_.Run([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(id, service_.Enqueue(uow, r));
      return core::Ok();
    });
    if (!st) return std::move(st).error();
    return id;
  }

  core::ManualClock clock_;
  core::SequentialIdGenerator ids_;
  crypto::MasterKey master_;
  keys::KeyService keys_;
  testing::MemoryRunner runner_;
  MailService service_;
};

TEST_F(MailServiceTest, RendersTheStatusLinkInEnglishAndSpanish) {
  auto en = service_.Render(StatusLink("en"));
  ASSERT_TRUE(en) << en.error().message;
  EXPECT_EQ(en->subject, "Your Soundcheck status link");
  EXPECT_EQ(en->body.rfind("Hi Robin Fictional,\n\n", 0), 0u) << en->body;
  EXPECT_NE(en->body.find("https://soundcheck.example.org/status#t=abc"), std::string::npos);
  EXPECT_NE(en->body.find("30 minutes"), std::string::npos);
  EXPECT_NE(en->body.find("help is available"), std::string::npos);  // the help footer
  EXPECT_EQ(en->body.find('{'), std::string::npos) << "an unrendered placeholder";

  auto es = service_.Render(StatusLink("es"));
  ASSERT_TRUE(es) << es.error().message;
  EXPECT_EQ(es->subject, "Tu enlace de estado de Soundcheck");
  EXPECT_EQ(es->body.rfind("Hola, Robin Fictional:", 0), 0u) << es->body;
  EXPECT_NE(es->body.find("30 minutos"), std::string::npos);
  EXPECT_NE(es->body.find("hay ayuda disponible"), std::string::npos);
}

TEST_F(MailServiceTest, GreetsWithoutANameAndAddsTheCrisisLineWhenGiven) {
  MailRequest r = StatusLink();
  r.params.erase("name");
  r.params["crisis_line"] = "988 (call or text)";
  auto m = service_.Render(r);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->body.rfind("Hi,\n\n", 0), 0u);
  EXPECT_NE(m->body.find("You can also reach 988 (call or text) at any time"), std::string::npos);
}

TEST_F(MailServiceTest, StaffAlertHasNoMemberFooter) {
  auto m = service_.Render(Escalation());
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->subject, "An urgent case is waiting for acknowledgement");
  EXPECT_NE(m->body.find("SC-ABCD-2345"), std::string::npos);
  EXPECT_NE(m->body.find("15 minutes"), std::string::npos);
  EXPECT_EQ(m->body.find("crisis lines"), std::string::npos);
  EXPECT_NE(m->body.find("Soundcheck alerts"), std::string::npos);
}

// Subjects carry no personal data: whatever the parameters hold, none of it reaches a
// subject, for every template in every language.
TEST_F(MailServiceTest, NoParameterValueEverAppearsInASubject) {
  int checked = 0;
  for (const auto& spec : Templates()) {
    for (const char* lang : {"en", "es"}) {
      MailRequest r;
      r.template_key = std::string(spec.key);
      r.language = lang;
      r.recipient = "canary.recipient@example.org";
      r.subject_id = "person-1";
      std::vector<std::string_view> names = spec.required;
      names.insert(names.end(), spec.optional.begin(), spec.optional.end());
      for (auto n : names) r.params[std::string(n)] = "Zq" + std::string(n) + "Canary";
      auto m = service_.Render(r);
      ASSERT_TRUE(m) << spec.key << " " << lang << ": " << m.error().message;
      EXPECT_FALSE(m->subject.empty());
      for (const auto& [name, value] : r.params) {
        EXPECT_EQ(m->subject.find(value), std::string::npos) << spec.key << " " << lang;
        EXPECT_NE(m->body.find(value), std::string::npos)
            << spec.key << " " << lang << " does not use {" << name << "}";
      }
      EXPECT_EQ(m->subject.find("canary"), std::string::npos);
      EXPECT_EQ(m->subject.find("Zq"), std::string::npos);
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(Templates().size() * 2));
  EXPECT_GE(checked, 12);
}

TEST_F(MailServiceTest, RefusesCatalogsWhoseSubjectHasAPlaceholder) {
  auto en = core::i18n::Catalog::LoadFile(std::string(SC_SOURCE_DIR) + "/i18n/en/mail.json");
  ASSERT_TRUE(en);
  // Same keys, one subject rewritten to carry a name.
  std::string json = R"({"mail.status_link.subject": "Hi {name}")";
  for (const auto& k : en->Keys()) {
    if (k == "mail.status_link.subject") continue;
    json += ", \"" + k + "\": \"x\"";
  }
  json += "}";
  auto bad = core::i18n::Catalog::Parse(json, "bad/mail.json");
  ASSERT_TRUE(bad);
  auto t = core::i18n::Translations::FromCatalogs({{"en", *bad}});
  ASSERT_TRUE(t);
  auto s = MailService::Create(*t, keys_, clock_, ids_);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("mail.status_link.subject"), std::string::npos);

  // And a catalog missing a template's key is refused at start, not at the first mail.
  auto missing = core::i18n::Catalog::Parse(R"({"mail.greeting": "Hi {name},"})", "m.json");
  ASSERT_TRUE(missing);
  auto s2 = MailService::Create(*core::i18n::Translations::FromCatalogs({{"en", *missing}}), keys_,
                                clock_, ids_);
  ASSERT_FALSE(s2);
  EXPECT_EQ(s2.error().code, ErrorCode::kNotFound);
}

TEST_F(MailServiceTest, ValidatesRequestsWithoutEchoingValues) {
  auto field_of = [&](MailRequest r) -> std::string {
    auto m = service_.Render(r);
    if (m) return "ok";
    EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(m.error().message.find("fictional"), std::string::npos);
    return m.error().fields.empty() ? "" : m.error().fields[0].field;
  };
  MailRequest r = StatusLink();
  r.template_key = "mail.nope";
  EXPECT_EQ(field_of(r), "/template");
  r = StatusLink();
  r.language = "fr";
  EXPECT_EQ(field_of(r), "/language");
  for (const char* bad : {"", "no-at-sign", "a@b@example.org", "robin fictional@example.org",
                          "robin.fictional@example.org\r\nBcc: x@example.org",
                          "<robin.fictional@example.org>", "robin.fictional@", "@example.org",
                          "robin.fictional@example..org", "rób.fictional@example.org"}) {
    r = StatusLink();
    r.recipient = bad;
    EXPECT_EQ(field_of(r), "/recipient") << bad;
  }
  r = StatusLink();
  r.params.erase("link");
  EXPECT_EQ(field_of(r), "/params/link");
  r = StatusLink();
  r.params["surname"] = "Fictional";
  EXPECT_EQ(field_of(r), "/params/surname");
  r = StatusLink();
  r.params["name"] = "Robin\nFictional";
  EXPECT_EQ(field_of(r), "/params/name");
  r = StatusLink();
  r.attachment = Attachment{"a.ics", "text/calendar", "x"};
  EXPECT_EQ(field_of(r), "/attachment");
  r = Booking();
  r.attachment->filename = "../etc/passwd";
  EXPECT_EQ(field_of(r), "/attachment");
  r = Booking();
  r.attachment->content_type = "text/calendar\r\nX-Evil: 1";
  EXPECT_EQ(field_of(r), "/attachment");
  EXPECT_EQ(field_of(Booking()), "ok");
  EXPECT_EQ(field_of(Escalation()), "ok");
}

TEST_F(MailServiceTest, EnqueueSealsEverythingPersonalAndOpensBack) {
  auto id = Enqueue(Booking("es"));
  ASSERT_TRUE(id) << id.error().message;
  const auto& rows = runner_.state().mail.rows;
  ASSERT_EQ(rows.size(), 1u);
  const MailRecord& row = rows.at(*id);
  EXPECT_EQ(row.status, "pending");
  EXPECT_EQ(row.attempts, 0);
  EXPECT_EQ(row.next_attempt_at, 1'790'000'000);
  EXPECT_EQ(row.created_at, 1'790'000'000);
  EXPECT_EQ(row.template_key, "mail.support_booking");
  EXPECT_EQ(row.language, "es");
  EXPECT_EQ(row.subject, "Tu llamada de apoyo de Soundcheck está reservada");
  EXPECT_EQ(row.to_sealed.find("fictional"), std::string::npos);
  EXPECT_EQ(row.body_sealed.find("America/Chicago"), std::string::npos);
  EXPECT_EQ(row.attachment_sealed.find("VCALENDAR"), std::string::npos);

  MailRecord claimed = row;
  claimed.attempts = 1;
  Result<OpenedMail> opened = core::Error::Internal("not run");
  ASSERT_TRUE(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    opened = service_.Open(uow, claimed);
    return core::Ok();
  }));
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->to, "robin.fictional@example.org");
  EXPECT_EQ(opened->attempt, 1);
  EXPECT_NE(opened->body.find("America/Chicago"), std::string::npos);
  ASSERT_TRUE(opened->attachment);
  EXPECT_EQ(*opened->attachment, *Booking().attachment);
}

TEST_F(MailServiceTest, ARolledBackChangeSendsNothing) {
  auto st = runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(std::string id, service_.Enqueue(uow, StatusLink()));
    EXPECT_FALSE(id.empty());
    return core::Error::Conflict("the change that caused the mail failed");
  });
  ASSERT_FALSE(st);
  EXPECT_TRUE(runner_.state().mail.rows.empty());
  ASSERT_TRUE(Enqueue(StatusLink()));
  EXPECT_EQ(runner_.state().mail.rows.size(), 1u);
}

TEST_F(MailServiceTest, AnInvalidRequestWritesNothing) {
  MailRequest r = StatusLink();
  r.recipient = "not an address";
  auto id = Enqueue(r);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(runner_.state().mail.rows.empty());
}

TEST_F(MailServiceTest, SealedValuesAreBoundToTheirRowAndDieWithTheKey) {
  auto a = Enqueue(StatusLink());
  auto b = Enqueue(StatusLink());
  ASSERT_TRUE(a && b);
  MailRecord moved = runner_.state().mail.rows.at(*b);
  moved.body_sealed = runner_.state().mail.rows.at(*a).body_sealed;  // a's body on row b
  auto open = [&](const MailRecord& row) {
    Result<OpenedMail> out = core::Error::Internal("not run");
    EXPECT_TRUE(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
      out = service_.Open(uow, row);
      return core::Ok();
    }));
    return out;
  };
  EXPECT_EQ(open(moved).error().code, ErrorCode::kInternal);

  ASSERT_TRUE(
      runner_.Run([](UnitOfWork& uow) { return keys::KeyService::Erase(uow, "person-1"); }));
  auto gone = open(runner_.state().mail.rows.at(*a));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace soundcheck::domain::mail
