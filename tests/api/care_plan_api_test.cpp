// Care plans through the full pipeline (SQLite, and PostgreSQL as api_pgtest): versions
// with If-Match, validation, old versions, a supervisor's sign-off, and what the member may
// see (an urgent case's plan only once signed off). Fictional people only.
#include <gtest/gtest.h>

#include "app/app.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

namespace json = boost::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

std::string Intake(bool urgent) {
  const std::string screens = urgent ? R"([{"instrument":"phq9","answers":[1,1,1,1,1,1,1,1,1]}])"
                                     : R"([{"instrument":"phq2","answers":[0,1]}])";
  return R"({"for":"self","preferred_name":"Plan Tester","language":"es",
    "contact":{"phone":"+1 615 555 0100","preferred":"text","text_ok":true},
    "industry_role":"driver","location":{"country":"US","region":"US-TN","time_zone":"America/Chicago"},
    "requests":["therapy"],"screenings":)" +
         screens + R"(,"consents":{"privacy_notice_version":"2026-11","contact":true}})";
}

constexpr const char* kPlan = R"({
  "goals": [{"id": "g-sleep", "text": "Sleep through the night on tour"}],
  "items": [
    {"kind": "provider", "status": "proposed", "title": "Weekly therapy by telehealth",
     "goal_id": "g-sleep", "starts_on": "2026-12-01", "sessions": 8,
     "cost": {"low_cents": 3000, "high_cents": 3000, "basis": "in_network", "per": "session"},
     "notes": "Staff only: call the practice on Monday", "for_member": "Your first session is on 1 December."},
    {"kind": "financial_aid", "status": "proposed", "title": "Ask the direct fund for the copays",
     "cost": null, "fund_reference": ""}
  ]})";

class CarePlanApiTest : public ::testing::Test {
 protected:
  CarePlanApiTest() : t_({.public_requests_per_minute = 100000}) {}

  void SetUp() override {
    manager_ = t_.CreateAccount("case_manager");
    manager_session_ = t_.Login(manager_);
    supervisor_ = t_.CreateAccount("supervisor");
    supervisor_session_ = t_.Login(supervisor_);
    normal_ = OpenCase(false, "plan-0001-aaaa");
    urgent_ = OpenCase(true, "plan-0002-aaaa");
  }

  std::string OpenCase(bool urgent, const std::string& key) {
    auto r = t_.Call("POST", "/api/v1/intakes", Intake(urgent), "", "", {{"Idempotency-Key", key}});
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string reference = S(ParseJson(r.body).at("reference"));
    auto list = Call(supervisor_session_, "GET", "/api/v1/cases");
    const auto cases = ParseJson(list.body);
    for (const auto& c : cases.at("items").as_array()) {
      if (S(c.at("reference")) == reference) return S(c.at("id"));
    }
    ADD_FAILURE() << "case not in the queue";
    return {};
  }

  http::Response Call(const TestApp::Session& who, const std::string& method,
                      const std::string& path, const std::string& body = "", Headers headers = {}) {
    auto r = t_.Call(method, path, body, who.cookie, who.csrf, std::move(headers));
    RecordForContract(method, path, r);
    return r;
  }
  http::Response Save(const std::string& case_id, const std::string& body,
                      const std::string& if_match) {
    Headers h;
    if (!if_match.empty()) h.push_back({"If-Match", if_match});
    return Call(manager_session_, "PUT", "/api/v1/cases/" + case_id + "/plan", body, h);
  }
  // What the member's status page would show for the case, read the way the status page
  // reads it.
  std::optional<domain::care_plans::MemberPlan> MemberView(const std::string& case_id) {
    std::optional<domain::care_plans::MemberPlan> out;
    auto st = t_.app().runner().Run([&](domain::UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(auto c, uow.cases().FindById(case_id));
      if (!c) return core::Error::NotFound("case");
      SC_ASSIGN_OR_RETURN(out, t_.app().care_plans().ForMember(uow, *c));
      return core::Ok();
    });
    EXPECT_TRUE(st) << st.error().message;
    return out;
  }
  std::string FirstField(const http::Response& r) {
    return S(ParseJson(r.body).at("errors").at(0).at("field"));
  }

  TestApp t_;
  TestApp::Account manager_, supervisor_;
  TestApp::Session manager_session_, supervisor_session_;
  std::string normal_, urgent_;
};

TEST_F(CarePlanApiTest, EachSaveIsANewVersionAndStaleSavesAreRefused) {
  auto empty = Call(manager_session_, "GET", "/api/v1/cases/" + normal_ + "/plan");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(ParseJson(empty.body).at("version").as_int64(), 0);
  EXPECT_EQ(empty.headers.Get("ETag"), "\"0\"");
  EXPECT_EQ(empty.headers.Get("Cache-Control"), "no-store");

  EXPECT_EQ(Save(normal_, kPlan, "").status, 428);
  auto first = Save(normal_, kPlan, "\"0\"");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto v1 = ParseJson(first.body);
  EXPECT_EQ(v1.at("version").as_int64(), 1);
  EXPECT_EQ(first.headers.Get("ETag"), "\"1\"");
  const auto& items = v1.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(S(items[0].at("id")).empty()) << "items get ids";
  EXPECT_EQ(S(items[0].at("goal_id")), "g-sleep");
  EXPECT_EQ(items[0].at("cost").at("high_cents").as_int64(), 3000);
  EXPECT_TRUE(items[1].at("cost").is_null());
  EXPECT_FALSE(v1.at("needs_sign_off").as_bool());

  // Someone else's save came first: 412, nothing written.
  auto stale = Save(normal_, kPlan, "\"0\"");
  EXPECT_EQ(stale.status, 412) << stale.body;
  json::object changed = ParseJson(kPlan).as_object();
  changed["items"].as_array()[0].as_object()["status"] = "agreed";
  auto second = Save(normal_, json::serialize(changed), "\"1\"");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(ParseJson(second.body).at("version").as_int64(), 2);

  auto now = Call(manager_session_, "GET", "/api/v1/cases/" + normal_ + "/plan");
  const auto view = ParseJson(now.body);
  EXPECT_EQ(view.at("version").as_int64(), 2);
  EXPECT_EQ(S(view.at("items").at(0).at("status")), "agreed");
  ASSERT_EQ(view.at("versions").as_array().size(), 2u);
  auto old = Call(manager_session_, "GET", "/api/v1/cases/" + normal_ + "/plan/versions/1");
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(S(ParseJson(old.body).at("items").at(0).at("status")), "proposed");
  EXPECT_EQ(Call(manager_session_, "GET", "/api/v1/cases/" + normal_ + "/plan/versions/7").status,
            404);
  EXPECT_EQ(Call(manager_session_, "GET", "/api/v1/cases/" + normal_ + "/plan/versions/x").status,
            404);

  // The member sees the newest version of a normal case's plan, without staff notes.
  auto member = MemberView(normal_);
  ASSERT_TRUE(member.has_value());
  EXPECT_EQ(member->version, 2);
  ASSERT_EQ(member->items.size(), 2u);
  EXPECT_TRUE(member->items[0].notes.empty());
  EXPECT_EQ(member->items[0].for_member, "Your first session is on 1 December.");

  // A cost with no upper bound known (the fee is unknown) is kept as null, not a made-up top.
  json::object open = ParseJson(kPlan).as_object();
  open["items"].as_array()[0].as_object()["cost"].as_object()["high_cents"] = nullptr;
  auto third = Save(normal_, json::serialize(open), "\"2\"");
  ASSERT_EQ(third.status, 200) << third.body;
  const auto v3 = ParseJson(third.body);
  EXPECT_TRUE(v3.at("items").at(0).at("cost").at("high_cents").is_null());
  EXPECT_EQ(v3.at("items").at(0).at("cost").at("low_cents").as_int64(), 3000);
  EXPECT_FALSE(MemberView(normal_)->items[0].cost->high_cents.has_value());
}

TEST_F(CarePlanApiTest, BadPlansGetProblemsNamingTheField) {
  json::object bad_kind = ParseJson(kPlan).as_object();
  bad_kind["items"].as_array()[0].as_object()["kind"] = "spa_day";
  auto r = Save(normal_, json::serialize(bad_kind), "\"0\"");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FirstField(r), "/items/0/kind");

  json::object unknown_goal = ParseJson(kPlan).as_object();
  unknown_goal["items"].as_array()[0].as_object()["goal_id"] = "g-missing";
  r = Save(normal_, json::serialize(unknown_goal), "\"0\"");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FirstField(r), "/items/0/goal_id");

  json::object no_listing = ParseJson(kPlan).as_object();
  no_listing["items"].as_array()[0].as_object()["service_id"] =
      "0195b000-0000-7000-8000-0000000000aa";
  r = Save(normal_, json::serialize(no_listing), "\"0\"");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FirstField(r), "/items/0/service_id");

  json::object backwards = ParseJson(kPlan).as_object();
  backwards["items"].as_array()[0].as_object()["cost"].as_object()["low_cents"] = 9000;
  r = Save(normal_, json::serialize(backwards), "\"0\"");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FirstField(r), "/items/0/cost/low_cents");

  r = Save(normal_, R"({"goals": [], "items": [], "typo": 1})", "\"0\"");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(FirstField(r), "/typo");
  r = Save(normal_, "not json", "\"0\"");
  EXPECT_EQ(r.status, 400);

  // Nothing was saved by any of them.
  auto view = Call(manager_session_, "GET", "/api/v1/cases/" + normal_ + "/plan");
  EXPECT_EQ(ParseJson(view.body).at("version").as_int64(), 0);
  EXPECT_EQ(Save("0195b000-0000-7000-8000-0000000000ff", kPlan, "\"0\"").status, 404);
}

TEST_F(CarePlanApiTest, AnUrgentCasesPlanReachesTheMemberOnlyOnceSignedOff) {
  auto saved = Save(urgent_, kPlan, "\"0\"");
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_TRUE(ParseJson(saved.body).at("needs_sign_off").as_bool());
  EXPECT_FALSE(MemberView(urgent_).has_value()) << "not before a supervisor signs it off";

  const std::string sign = "/api/v1/cases/" + urgent_ + "/plan/sign-off";
  EXPECT_EQ(Call(manager_session_, "POST", sign, "", {{"If-Match", "\"1\""}}).status, 403);
  EXPECT_EQ(Call(supervisor_session_, "POST", sign, "").status, 428);
  EXPECT_EQ(Call(supervisor_session_, "POST", sign, "", {{"If-Match", "\"2\""}}).status, 412);
  auto signed_off = Call(supervisor_session_, "POST", sign, "", {{"If-Match", "\"1\""}});
  ASSERT_EQ(signed_off.status, 200) << signed_off.body;
  const auto v = ParseJson(signed_off.body);
  EXPECT_EQ(S(v.at("signed_off_by")), supervisor_.id);
  EXPECT_FALSE(v.at("needs_sign_off").as_bool());
  EXPECT_EQ(Call(supervisor_session_, "POST", sign, "", {{"If-Match", "\"1\""}}).status, 409);
  auto member = MemberView(urgent_);
  ASSERT_TRUE(member.has_value());
  EXPECT_EQ(member->version, 1);

  // A newer version waits for its own sign-off; the member keeps seeing version 1.
  auto next = Save(urgent_, kPlan, "\"1\"");
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_TRUE(ParseJson(next.body).at("needs_sign_off").as_bool());
  EXPECT_EQ(MemberView(urgent_)->version, 1);
  ASSERT_EQ(Call(supervisor_session_, "POST", sign, "", {{"If-Match", "\"2\""}}).status, 200);
  EXPECT_EQ(MemberView(urgent_)->version, 2);
}

}  // namespace
}  // namespace soundcheck::testing
