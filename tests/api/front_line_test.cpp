// The front line over the API (both engines): duty and the rota, urgent-case alerts and
// their escalation, the "talk to someone now" queue, assignment suggestions, family links.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "app/app.h"
#include "core/time_zone.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string Intake(const std::string& name, bool risk, const std::string& language = "en") {
  std::string screens =
      risk
          ? R"([{"instrument":"phq2","answers":[3,3]},{"instrument":"phq9","answers":[2,2,2,2,2,2,2,2,1]}])"
          : R"([{"instrument":"phq2","answers":[1,0]}])";
  return R"({"for":"self","preferred_name":")" + name + R"(","language":")" + language + R"(",
    "contact":{"phone":"+1 615 555 0100","preferred":"text","text_ok":true},
    "industry_role":"touring_crew",
    "location":{"country":"US","region":"US-TN","time_zone":"America/Chicago"},
    "requests":["therapy"],"screenings":)" +
         screens + R"(,"consents":{"privacy_notice_version":"2026-11","contact":true}})";
}

struct Staff {
  TestApp::Account account;
  TestApp::Session session;
};

class FrontLineTest : public ::testing::Test {
 protected:
  FrontLineTest() : t_({.public_requests_per_minute = 100000}) {}

  Staff Make(const std::string& role) {
    Staff s;
    s.account = t_.CreateAccount(role);
    s.session = t_.Login(s.account);
    EXPECT_EQ(s.session.status, 200);
    return s;
  }
  http::Response Call(const Staff& s, const std::string& method, const std::string& path,
                      const std::string& body = "") {
    auto r = t_.Call(method, path, body, s.session.cookie, s.session.csrf);
    RecordForContract(method, path, r);
    return r;
  }
  http::Response Public(const std::string& method, const std::string& path,
                        const std::string& body = "", Headers headers = {}) {
    auto r = t_.Call(method, path, body, "", "", std::move(headers));
    RecordForContract(method, path, r);
    return r;
  }
  std::string SubmitIntake(const std::string& key, bool risk) {
    auto r =
        Public("POST", "/api/v1/intakes", Intake("Front Tester", risk), {{"Idempotency-Key", key}});
    EXPECT_EQ(r.status, 201) << r.body;
    return CaseIdOf(std::string(ParseJson(r.body).at("reference").as_string()));
  }
  // The member is told a reference, never an internal id; staff find the case by it.
  std::string CaseIdOf(const std::string& reference) {
    std::string id;
    EXPECT_TRUE(t_.app().runner().RunReadOnly([&](domain::UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(auto c, uow.cases().FindByReference(reference));
      if (c) id = c->id;
      return core::Ok();
    }));
    return id;
  }
  std::string Local(int64_t offset_seconds, const std::string& tz = "America/Chicago") {
    int64_t now = core::ToUnixSeconds(t_.clock().Now());
    return *core::UnixToLocal(now + offset_seconds, tz);
  }

  // The event log as committed (the hub only fans it out once serving).
  std::vector<domain::EventRecord> Events() {
    std::vector<domain::EventRecord> out;
    EXPECT_TRUE(t_.app().runner().RunReadOnly([&](domain::UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(out, uow.events().ReadAfter(0, 10000));
      return core::Ok();
    }));
    return out;
  }

  TestApp t_;
};

TEST_F(FrontLineTest, DutyIsCountedAndAnnounced) {
  Staff cm = Make("case_manager");
  Staff sup = Make("supervisor");
  auto d = Call(cm, "GET", "/api/v1/duty");
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_FALSE(ParseJson(d.body).at("on_duty").as_bool());
  EXPECT_EQ(ParseJson(d.body).at("on_duty_count").as_int64(), 0);
  d = Call(cm, "PUT", "/api/v1/duty", R"({"on_duty":true})");
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_TRUE(ParseJson(d.body).at("on_duty").as_bool());
  EXPECT_TRUE(ParseJson(d.body).at("since").is_string());
  EXPECT_EQ(ParseJson(d.body).at("on_duty_count").as_int64(), 1);
  // Going on duty twice changes nothing.
  EXPECT_EQ(ParseJson(Call(cm, "PUT", "/api/v1/duty", R"({"on_duty":true})").body)
                .at("on_duty_count")
                .as_int64(),
            1);
  auto staff = Call(sup, "GET", "/api/v1/staff");
  ASSERT_EQ(staff.status, 200) << staff.body;
  auto items = ParseJson(staff.body).at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  for (const auto& m : items) {
    EXPECT_EQ(m.at("on_duty").as_bool(), m.at("id").as_string() == cm.account.id);
  }
  EXPECT_EQ(Call(cm, "PUT", "/api/v1/duty", R"({"on_duty":"yes"})").status, 400);
  EXPECT_EQ(Call(cm, "PUT", "/api/v1/duty", R"({})").status, 422);
  // The console heard it: duty.changed is in the event log.
  auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "duty.changed");
}

TEST_F(FrontLineTest, AnUrgentCaseAlertsWhoeverIsOnDutyAndEscalatesWhenNobodyAcknowledges) {
  Staff cm = Make("case_manager");
  Staff other = Make("case_manager");
  Staff sup = Make("supervisor");
  ASSERT_EQ(Call(cm, "PUT", "/api/v1/duty", R"({"on_duty":true})").status, 200);
  std::string case_id = SubmitIntake("front-risk-0001", true);

  auto list = Call(cm, "GET", "/api/v1/alerts");
  ASSERT_EQ(list.status, 200) << list.body;
  auto alerts = ParseJson(list.body).at("items").as_array();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].at("case_id").as_string(), case_id);
  EXPECT_TRUE(alerts[0].at("acknowledged_at").is_null());
  std::string alert_id(alerts[0].at("id").as_string());
  // Raised to the on-duty case manager (and supervisors), not to one who is off duty.
  auto events = Events();
  auto raised = std::find_if(events.begin(), events.end(),
                             [](const auto& e) { return e.type == "alert.raised"; });
  ASSERT_NE(raised, events.end());
  EXPECT_NE(raised->audience.find("user:" + cm.account.id), std::string::npos);
  EXPECT_EQ(raised->audience.find("user:" + other.account.id), std::string::npos);
  EXPECT_NE(raised->audience.find("role:supervisor"), std::string::npos);

  // Before the deadline nothing escalates.
  auto n = t_.app().alerts().EscalateOverdue(nullptr);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);
  t_.clock().Advance(std::chrono::seconds(301));
  n = t_.app().alerts().EscalateOverdue(nullptr);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  n = t_.app().alerts().EscalateOverdue(nullptr);  // once only
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);
  auto all = ParseJson(Call(sup, "GET", "/api/v1/alerts?state=all").body).at("items").as_array();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].at("escalated_at").is_string());

  auto ack = Call(other, "POST", "/api/v1/alerts/" + alert_id + "/ack");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ParseJson(ack.body).at("acknowledged_by").as_string(), other.account.id);
  // The first acknowledgement stands.
  auto again = Call(cm, "POST", "/api/v1/alerts/" + alert_id + "/ack");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(ParseJson(again.body).at("acknowledged_by").as_string(), other.account.id);
  EXPECT_TRUE(ParseJson(Call(cm, "GET", "/api/v1/alerts").body).at("items").as_array().empty());
  EXPECT_EQ(Call(cm, "POST", "/api/v1/alerts/00000000-0000-7000-8000-000000000000/ack").status,
            404);
  EXPECT_EQ(Call(cm, "GET", "/api/v1/alerts?state=some").status, 400);
}

TEST_F(FrontLineTest, WithNobodyOnDutySupervisorsAreAlertedAtOnce) {
  Staff sup = Make("supervisor");
  SubmitIntake("front-risk-0002", true);
  auto n = t_.app().alerts().EscalateOverdue(nullptr);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "alert.escalated");
  EXPECT_EQ(events.back().audience, "role:supervisor");
  // A case that is not urgent raises nothing.
  SubmitIntake("front-calm-0003", false);
  EXPECT_EQ(
      ParseJson(Call(sup, "GET", "/api/v1/alerts?state=all").body).at("items").as_array().size(),
      1u);
}

TEST_F(FrontLineTest, ShiftsAreEnteredInLocalTimeAndStoredInUtc) {
  Staff cm = Make("case_manager");
  Staff other = Make("case_manager");
  Staff sup = Make("supervisor");
  std::string start = Local(24 * 3600).substr(0, 11) + "09:00";
  std::string end = start.substr(0, 11) + "17:00";
  std::string body = R"({"user_id":")" + cm.account.id + R"(","starts_at":")" + start +
                     R"(","ends_at":")" + end + R"(","time_zone":"America/Chicago"})";
  auto created = Call(cm, "POST", "/api/v1/shifts", body);
  ASSERT_EQ(created.status, 201) << created.body;
  auto shift = ParseJson(created.body).as_object();
  auto expect_start = core::LocalToUnix(start, "America/Chicago");
  EXPECT_EQ(std::string(shift.at("starts_at").as_string()),
            core::FormatRfc3339(core::FromUnixSeconds(*expect_start)));
  EXPECT_EQ(shift.at("time_zone").as_string(), "America/Chicago");
  // A case manager adds only their own shifts; a supervisor anyone's.
  std::string for_other = R"({"user_id":")" + other.account.id + R"(","starts_at":")" + start +
                          R"(","ends_at":")" + end + R"(","time_zone":"Europe/Madrid"})";
  EXPECT_EQ(Call(cm, "POST", "/api/v1/shifts", for_other).status, 403);
  EXPECT_EQ(Call(sup, "POST", "/api/v1/shifts", for_other).status, 201);
  auto bad = Call(sup, "POST", "/api/v1/shifts",
                  R"({"user_id":")" + cm.account.id + R"(","starts_at":")" + start +
                      R"(","ends_at":")" + end + R"(","time_zone":"Mars/Base"})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("/time_zone"), std::string::npos);
  auto too_long =
      Call(sup, "POST", "/api/v1/shifts",
           R"({"user_id":")" + cm.account.id + R"(","starts_at":")" + start + R"(","ends_at":")" +
               Local(4 * 24 * 3600).substr(0, 11) + R"(09:00","time_zone":"America/Chicago"})");
  EXPECT_EQ(too_long.status, 422);
  auto overlap = Call(cm, "POST", "/api/v1/shifts", body);  // the same shift again
  EXPECT_EQ(overlap.status, 422) << overlap.body;
  EXPECT_NE(overlap.body.find("overlaps"), std::string::npos);
  auto rota = Call(other, "GET", "/api/v1/shifts");
  ASSERT_EQ(rota.status, 200) << rota.body;
  auto items = ParseJson(rota.body).at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(items[0].at("user_name").as_string().empty());
  EXPECT_EQ(
      Call(other, "DELETE", "/api/v1/shifts/" + std::string(shift.at("id").as_string())).status,
      403);
  EXPECT_EQ(Call(cm, "DELETE", "/api/v1/shifts/" + std::string(shift.at("id").as_string())).status,
            204);
  EXPECT_EQ(ParseJson(Call(other, "GET", "/api/v1/shifts").body).at("items").as_array().size(), 1u);
  EXPECT_EQ(Call(other, "GET", "/api/v1/shifts?from=yesterday").status, 400);
}

TEST_F(FrontLineTest, OutOfHoursAMemberBooksASlotAndGetsAnInvite) {
  Staff cm = Make("case_manager");
  const std::string base =
      R"({"preferred_name":"Call Tester","phone":"+1 615 555 0111","voicemail_ok":true,"language":"es","country":"US","time_zone":"America/Chicago","privacy_notice_version":"2026-11")";
  // Nobody on duty and no rota: no call now, no slots, and the member is told what to do.
  auto avail = Public("GET", "/api/v1/support/availability");
  ASSERT_EQ(avail.status, 200) << avail.body;
  EXPECT_FALSE(ParseJson(avail.body).at("open_now").as_bool());
  EXPECT_TRUE(ParseJson(avail.body).at("slots").as_array().empty());
  auto refused =
      Public("POST", "/api/v1/support-requests", base + "}", {{"Idempotency-Key", "support-0001"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("/slot_start"), std::string::npos);

  // A one-hour shift tomorrow: two half-hour slots, one place each.
  std::string start = Local(24 * 3600).substr(0, 11) + "10:00";
  ASSERT_EQ(
      Call(cm, "POST", "/api/v1/shifts",
           R"({"user_id":")" + cm.account.id + R"(","starts_at":")" + start + R"(","ends_at":")" +
               start.substr(0, 11) + R"(11:00","time_zone":"America/Chicago"})")
          .status,
      201);
  auto slots = ParseJson(Public("GET", "/api/v1/support/availability").body).at("slots").as_array();
  ASSERT_EQ(slots.size(), 2u);
  std::string slot(slots[0].at("start").as_string());
  std::string booking = base + R"(,"slot_start":")" + slot + R"(","email":"member@example.org"})";
  auto booked =
      Public("POST", "/api/v1/support-requests", booking, {{"Idempotency-Key", "support-0002"}});
  ASSERT_EQ(booked.status, 201) << booked.body;
  auto receipt = ParseJson(booked.body).as_object();
  EXPECT_EQ(receipt.at("status").as_string(), "booked");
  std::string ics(receipt.at("calendar_ics").as_string());
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(ics.find("SUMMARY:Llamada con Soundcheck"), std::string::npos);  // in Spanish
  auto t0 = core::ParseRfc3339(slot);
  std::string stamp = core::FormatRfc3339(*t0);
  std::string dtstart = "DTSTART:" + stamp.substr(0, 4) + stamp.substr(5, 2) + stamp.substr(8, 2) +
                        "T" + stamp.substr(11, 2) + stamp.substr(14, 2) + "00Z";
  EXPECT_NE(ics.find(dtstart), std::string::npos) << ics;
  EXPECT_EQ(ics.find("Call Tester"), std::string::npos);  // the invite names nobody
  EXPECT_TRUE(receipt.at("crisis").at("resources").is_object());
  // A retry answers the same; the slot is now full for everyone else.
  auto retry =
      Public("POST", "/api/v1/support-requests", booking, {{"Idempotency-Key", "support-0002"}});
  ASSERT_EQ(retry.status, 201);
  EXPECT_EQ(ParseJson(retry.body).at("id"), receipt.at("id"));
  EXPECT_EQ(retry.headers.Get("Idempotent-Replayed"), "true");
  auto taken =
      Public("POST", "/api/v1/support-requests", booking, {{"Idempotency-Key", "support-0003"}});
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_NE(taken.body.find("slot-taken"), std::string::npos);
  EXPECT_EQ(
      ParseJson(Public("GET", "/api/v1/support/availability").body).at("slots").as_array().size(),
      1u);
  auto bad = Public(
      "POST", "/api/v1/support-requests",
      R"({"preferred_name":"","phone":"call me","language":"fr","country":"us","time_zone":"Nowhere","privacy_notice_version":"2026-11"})",
      {{"Idempotency-Key", "support-0004"}});
  EXPECT_EQ(bad.status, 422);
  for (const char* f : {"/preferred_name", "/phone", "/language", "/country", "/time_zone"}) {
    EXPECT_NE(bad.body.find(f), std::string::npos) << f;
  }
  EXPECT_EQ(Public("POST", "/api/v1/support-requests", base + "}").status, 400);  // no key
}

TEST_F(FrontLineTest, OnlyOnePersonCanClaimACallAndTheClaimerClosesIt) {
  Staff a = Make("case_manager");
  Staff b = Make("case_manager");
  Staff sup = Make("supervisor");
  ASSERT_EQ(Call(a, "PUT", "/api/v1/duty", R"({"on_duty":true})").status, 200);
  auto avail = ParseJson(Public("GET", "/api/v1/support/availability").body);
  EXPECT_TRUE(avail.at("open_now").as_bool());
  auto req = Public(
      "POST", "/api/v1/support-requests",
      R"({"preferred_name":"Now Tester","phone":"+1 615 555 0112","language":"en","country":"US","time_zone":"America/New_York","privacy_notice_version":"2026-11"})",
      {{"Idempotency-Key", "support-now-1"}});
  ASSERT_EQ(req.status, 201) << req.body;
  EXPECT_EQ(ParseJson(req.body).at("status").as_string(), "waiting");
  EXPECT_TRUE(ParseJson(req.body).at("calendar_ics").is_null());
  std::string id(ParseJson(req.body).at("id").as_string());

  auto queue = Call(b, "GET", "/api/v1/support-requests?status=waiting");
  ASSERT_EQ(queue.status, 200);
  ASSERT_EQ(ParseJson(queue.body).at("items").as_array().size(), 1u);
  EXPECT_EQ(queue.body.find("555"), std::string::npos);  // no numbers in the list
  EXPECT_EQ(queue.body.find("Now Tester"), std::string::npos);

  auto claim = Call(a, "POST", "/api/v1/support-requests/" + id + "/claim");
  ASSERT_EQ(claim.status, 200) << claim.body;
  EXPECT_EQ(ParseJson(claim.body).at("phone").as_string(), "+1 615 555 0112");
  auto lost = Call(b, "POST", "/api/v1/support-requests/" + id + "/claim");
  EXPECT_EQ(lost.status, 409) << lost.body;
  EXPECT_EQ(Call(a, "POST", "/api/v1/support-requests/" + id + "/claim").status, 200);  // again

  EXPECT_EQ(Call(b, "POST", "/api/v1/support-requests/" + id + "/close", R"({"outcome":"talked"})")
                .status,
            403);
  EXPECT_EQ(
      Call(a, "POST", "/api/v1/support-requests/" + id + "/close", R"({"outcome":"shrug"})").status,
      422);
  auto closed = Call(a, "POST", "/api/v1/support-requests/" + id + "/close",
                     R"({"outcome":"talked","note":"Talked it through; follow up Friday."})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(ParseJson(closed.body).at("status").as_string(), "closed");
  EXPECT_EQ(ParseJson(closed.body).at("outcome").as_string(), "talked");
  EXPECT_EQ(Call(sup, "POST", "/api/v1/support-requests/" + id + "/close", R"({"outcome":"other"})")
                .status,
            409);
  EXPECT_EQ(Call(b, "GET", "/api/v1/support-requests?status=maybe").status, 400);
}

TEST_F(FrontLineTest, SupervisorsGetSuggestionsAndFamilyCasesLink) {
  Staff es = Make("case_manager");
  Staff busy = Make("case_manager");
  Staff sup = Make("supervisor");
  ASSERT_EQ(Call(es, "PUT", "/api/v1/staff/" + es.account.id,
                 R"({"languages":["en","es"],"regions":["US-TN"]})")
                .status,
            200);
  EXPECT_EQ(Call(es, "PUT", "/api/v1/staff/" + busy.account.id, R"({"languages":[],"regions":[]})")
                .status,
            403);
  EXPECT_EQ(Call(sup, "PUT", "/api/v1/staff/" + busy.account.id,
                 R"({"languages":["spanish"],"regions":["Tennessee"]})")
                .status,
            422);
  auto r = Public("POST", "/api/v1/intakes", Intake("Hermana Tester", false, "es"),
                  {{"Idempotency-Key", "front-es-0001"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string case_id = CaseIdOf(std::string(ParseJson(r.body).at("reference").as_string()));
  auto sugg = Call(sup, "GET", "/api/v1/cases/" + case_id + "/suggestions");
  ASSERT_EQ(sugg.status, 200) << sugg.body;
  auto items = ParseJson(sugg.body).at("items").as_array();
  ASSERT_GE(items.size(), 2u);
  EXPECT_EQ(items[0].at("user_id").as_string(), es.account.id);
  auto reasons = items[0].at("reasons").as_array();
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), boost::json::value("speaks_language")),
            reasons.end());
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), boost::json::value("covers_region")),
            reasons.end());
  EXPECT_EQ(Call(es, "GET", "/api/v1/cases/" + case_id + "/suggestions").status, 403);

  // Family: the member's case and their partner's, linked both ways.
  std::string other_id = SubmitIntake("front-family-0002", false);
  auto other = ParseJson(Call(sup, "GET", "/api/v1/cases/" + other_id).body);
  std::string other_ref(other.at("reference").as_string());
  auto link = Call(sup, "POST", "/api/v1/cases/" + case_id + "/links",
                   R"({"case_reference":")" + other_ref + R"(","relationship":"partner"})");
  ASSERT_EQ(link.status, 201) << link.body;
  EXPECT_EQ(ParseJson(link.body).at("case_id").as_string(), other_id);
  auto back = ParseJson(Call(sup, "GET", "/api/v1/cases/" + other_id).body);
  ASSERT_EQ(back.at("links").as_array().size(), 1u);
  EXPECT_EQ(back.at("links").as_array()[0].at("case_id").as_string(), case_id);
  EXPECT_EQ(Call(sup, "POST", "/api/v1/cases/" + case_id + "/links",
                 R"({"case_reference":")" + other_ref + R"(","relationship":"partner"})")
                .status,
            409);
  EXPECT_EQ(Call(sup, "POST", "/api/v1/cases/" + case_id + "/links",
                 R"({"case_reference":"SC-ZZZZ-ZZZZ","relationship":"partner"})")
                .status,
            404);
  EXPECT_EQ(Call(sup, "POST", "/api/v1/cases/" + case_id + "/links",
                 R"({"case_reference":")" + other_ref + R"(","relationship":"cousin"})")
                .status,
            422);
  // Separate access: once the partner's case is assigned to someone else, a case manager
  // on the first case no longer sees the link.
  auto detail = ParseJson(Call(sup, "GET", "/api/v1/cases/" + other_id).body);
  ASSERT_EQ(Call(sup, "POST", "/api/v1/cases/" + other_id + "/assign",
                 R"({"user_id":")" + busy.account.id + R"("})")
                .status,
            428);  // If-Match needed
  auto assigned =
      t_.Call("POST", "/api/v1/cases/" + other_id + "/assign",
              R"({"user_id":")" + busy.account.id + R"("})", sup.session.cookie, sup.session.csrf,
              {{"If-Match", std::to_string(detail.at("version").as_int64())}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  auto seen_by_es = ParseJson(Call(es, "GET", "/api/v1/cases/" + case_id).body);
  EXPECT_TRUE(seen_by_es.at("links").as_array().empty());
}

TEST_F(FrontLineTest, ATaskDueSoonIsRemindedOnceToWhoeverSeesTheCase) {
  Staff cm = Make("case_manager");
  std::string case_id = SubmitIntake("front-task-0001", false);
  int64_t now = core::ToUnixSeconds(t_.clock().Now());
  auto at = [](int64_t t) { return core::FormatRfc3339(core::FromUnixSeconds(t)); };
  auto soon =
      Call(cm, "POST", "/api/v1/cases/" + case_id + "/tasks",
           R"({"title":"Call back about the Denver dates","due_at":")" + at(now + 600) + R"("})");
  ASSERT_EQ(soon.status, 201) << soon.body;
  auto later = Call(cm, "POST", "/api/v1/cases/" + case_id + "/tasks",
                    R"({"title":"Check in after the tour","due_at":")" + at(now + 86400) + R"("})");
  ASSERT_EQ(later.status, 201) << later.body;
  auto n = t_.app().cases().RemindDueTasks(std::chrono::minutes(15));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);  // only the one due within 15 minutes
  n = t_.app().cases().RemindDueTasks(std::chrono::minutes(15));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);  // once
  auto events = Events();
  ASSERT_FALSE(events.empty());
  const auto& e = events.back();
  EXPECT_EQ(e.type, "task.due");
  EXPECT_EQ(e.subject_id, std::string(ParseJson(soon.body).at("id").as_string()));
  EXPECT_EQ(e.data.find("Denver"), std::string::npos);         // titles stay sealed
  EXPECT_EQ(e.audience, "role:supervisor role:case_manager");  // unassigned: the queue
  // A day later the second one comes due.
  t_.clock().Advance(std::chrono::hours(24));
  n = t_.app().cases().RemindDueTasks(std::chrono::minutes(15));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
}

TEST_F(FrontLineTest, TheQueueCountsEveryCaseTheCallerMaySeeWhateverPageIsShown) {
  Staff cm = Make("case_manager");
  Staff other = Make("case_manager");
  Staff sup = Make("supervisor");
  SubmitIntake("front-count-0001", true);
  SubmitIntake("front-count-0002", false);
  std::string theirs = SubmitIntake("front-count-0003", false);
  auto detail = ParseJson(Call(sup, "GET", "/api/v1/cases/" + theirs).body);
  auto assigned =
      t_.Call("POST", "/api/v1/cases/" + theirs + "/assign",
              R"({"user_id":")" + other.account.id + R"("})", sup.session.cookie, sup.session.csrf,
              {{"If-Match", std::to_string(detail.at("version").as_int64())}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;

  auto page = Call(sup, "GET", "/api/v1/cases?limit=1");
  ASSERT_EQ(page.status, 200) << page.body;
  auto v = ParseJson(page.body);
  EXPECT_EQ(v.at("items").as_array().size(), 1u);
  EXPECT_EQ(v.at("counts").at("open").as_int64(), 3);  // the whole queue, not the page
  EXPECT_EQ(v.at("counts").at("urgent_open").as_int64(), 1);
  EXPECT_EQ(v.at("counts").at("by_status").at("new").as_int64(), 3);
  EXPECT_EQ(v.at("counts").at("by_status").at("closed").as_int64(), 0);
  // A case manager counts only what they may see: theirs and the unassigned queue.
  auto mine = ParseJson(Call(cm, "GET", "/api/v1/cases").body);
  EXPECT_EQ(mine.at("counts").at("open").as_int64(), 2);
}

TEST_F(FrontLineTest, TwoMembersRacingForTheLastPlaceInASlotGetOneBookingBetweenThem) {
  Staff cm = Make("case_manager");
  std::string start = Local(24 * 3600).substr(0, 11) + "10:00";
  ASSERT_EQ(
      Call(cm, "POST", "/api/v1/shifts",
           R"({"user_id":")" + cm.account.id + R"(","starts_at":")" + start + R"(","ends_at":")" +
               start.substr(0, 11) + R"(10:30","time_zone":"America/Chicago"})")
          .status,
      201);
  auto slots = ParseJson(Public("GET", "/api/v1/support/availability").body).at("slots").as_array();
  ASSERT_EQ(slots.size(), 1u);
  std::string slot(slots[0].at("start").as_string());
  std::atomic<int> booked{0}, taken{0};
  std::vector<std::thread> members;
  for (int i = 0; i < 6; ++i) {
    members.emplace_back([&, i] {
      auto r = t_.Call(
          "POST", "/api/v1/support-requests",
          R"({"preferred_name":"Racer","phone":"+1 615 555 0120","language":"en","country":"US","time_zone":"America/Chicago","slot_start":")" +
              slot + R"(","privacy_notice_version":"2026-11"})",
          "", "", {{"Idempotency-Key", "race-slot-" + std::to_string(i)}});
      if (r.status == 201) ++booked;
      if (r.status == 409) ++taken;
    });
  }
  for (auto& m : members) m.join();
  EXPECT_EQ(booked, 1);
  EXPECT_EQ(taken, 5);
}

}  // namespace
}  // namespace soundcheck::testing
