// The HTTP API through the full pipeline (no socket): problem+json, routing, sessions,
// TOTP, CSRF, lockout, user administration, tokens, headers, and audit. Runs on a real
// SQLite file with a manual clock.
#include <gtest/gtest.h>

#include <fstream>

#include "crypto/totp.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

using boost::json::object;
using boost::json::serialize;

std::string Str(const boost::json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}

void ExpectProblem(const http::Response& r, int status, const std::string& type_suffix) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/problem+json");
  auto v = ParseJson(r.body);
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(v.at("status").as_int64(), status);
  std::string type = Str(v, "type");
  EXPECT_TRUE(type.size() >= type_suffix.size() &&
              type.compare(type.size() - type_suffix.size(), type_suffix.size(), type_suffix) == 0)
      << type;
  EXPECT_FALSE(Str(v, "title").empty());
  EXPECT_FALSE(Str(v, "detail").empty());
  EXPECT_EQ(Str(v, "instance").rfind("urn:request:", 0), 0u);
}

class ApiTest : public ::testing::Test {
 protected:
  TestApp t;
};

TEST_F(ApiTest, HealthReadyAndMetrics) {
  auto h = t.Call("GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(Str(ParseJson(h.body), "status"), "ok");
  auto r = t.Call("GET", "/readyz");
  EXPECT_EQ(r.status, 200) << r.body;
  auto m = t.Call("GET", "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(
      m.body.find(
          "soundcheck_http_requests_total{route=\"ops.healthz\",method=\"GET\",status=\"200\"} 1"),
      std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("soundcheck_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m.body.find("soundcheck_db_pool_connections"), std::string::npos);
  EXPECT_NE(m.body.find("soundcheck_build_info"), std::string::npos);
  EXPECT_NE(m.body.find("soundcheck_http_requests_in_flight"), std::string::npos);
}

TEST_F(ApiTest, NotFoundAndMethodNotAllowedAreToldApart) {
  ExpectProblem(t.Call("GET", "/api/v1/nothing-here"), 404, "/not-found");
  auto r = t.Call("DELETE", "/api/v1/me");
  ExpectProblem(r, 405, "/method-not-allowed");
  EXPECT_EQ(r.headers.Get("Allow"), "GET");
}

TEST_F(ApiTest, SecurityHeadersOnEveryResponse) {
  for (auto r : {t.Call("GET", "/healthz"), t.Call("GET", "/nope"),
                 t.Call("POST", "/api/v1/auth/login", "{")}) {
    EXPECT_EQ(r.headers.Get("X-Content-Type-Options"), "nosniff");
    EXPECT_NE(r.headers.Get("Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(r.headers.Get("Content-Security-Policy").find("unsafe-inline"), std::string::npos);
    EXPECT_FALSE(r.headers.Get("Strict-Transport-Security").empty());
    EXPECT_FALSE(r.headers.Get("X-Request-Id").empty());
  }
}

TEST_F(ApiTest, MalformedAndUnknownFieldsAreProblems) {
  ExpectProblem(t.Call("POST", "/api/v1/auth/login", "{not json"), 400, "/malformed-json");
  auto r = t.Call("POST", "/api/v1/auth/login",
                  R"({"email":"a@b.test","password":"x","pasword":"typo"})");
  ExpectProblem(r, 400, "/invalid-request");
  auto errors = ParseJson(r.body).at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(Str(errors[0], "field"), "/pasword");
  EXPECT_EQ(Str(errors[0], "code"), "unknown_field");
  auto missing = t.Call("POST", "/api/v1/auth/login", R"({"email":"a@b.test"})");
  ExpectProblem(missing, 422, "/validation-failed");
}

TEST_F(ApiTest, LoginNeedsTotpAndACodeWorksOnce) {
  auto admin = t.CreateAccount("admin");
  object body{{"email", admin.email}, {"password", admin.password}};
  ExpectProblem(t.Call("POST", "/api/v1/auth/login", serialize(body)), 401, "/totp-required");
  body["totp_code"] = t.NextCode(admin.totp_secret);
  auto ok = t.Call("POST", "/api/v1/auth/login", serialize(body));
  ASSERT_EQ(ok.status, 200) << ok.body;
  std::string set_cookie = ok.headers.Get("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("Secure"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(ok.headers.Get("Cache-Control"), "no-store");
  // The same code again (same step) is refused.
  ExpectProblem(t.Call("POST", "/api/v1/auth/login", serialize(body)), 401, "/totp-invalid");
  // A wrong password gives the same answer as an unknown email.
  object wrong{{"email", admin.email}, {"password", "not the password at all"}};
  auto a = t.Call("POST", "/api/v1/auth/login", serialize(wrong));
  object unknown{{"email", "nobody@example.test"}, {"password", "not the password at all"}};
  auto b = t.Call("POST", "/api/v1/auth/login", serialize(unknown));
  ExpectProblem(a, 401, "/invalid-credentials");
  ExpectProblem(b, 401, "/invalid-credentials");
  EXPECT_EQ(ParseJson(a.body).at("detail"), ParseJson(b.body).at("detail"));
}

TEST_F(ApiTest, MeLogoutAndSessionRotation) {
  auto admin = t.CreateAccount("admin");
  auto s1 = t.Login(admin);
  auto s2 = t.Login(admin);
  ASSERT_EQ(s1.status, 200);
  EXPECT_NE(s1.cookie, s2.cookie);  // a new id at every login
  auto me = t.Call("GET", "/api/v1/me", "", s1.cookie);
  ASSERT_EQ(me.status, 200) << me.body;
  auto v = ParseJson(me.body);
  EXPECT_EQ(Str(v, "email"), admin.email);
  EXPECT_EQ(Str(v, "role"), "admin");
  EXPECT_EQ(Str(v, "csrf_token"), s1.csrf);
  EXPECT_EQ(me.headers.Get("Cache-Control"), "no-store");
  // Logout needs the CSRF token, then kills the server session.
  ExpectProblem(t.Call("POST", "/api/v1/auth/logout", "", s1.cookie), 403, "/csrf-token-invalid");
  EXPECT_EQ(t.Call("POST", "/api/v1/auth/logout", "", s1.cookie, s1.csrf).status, 204);
  ExpectProblem(t.Call("GET", "/api/v1/me", "", s1.cookie), 401, "/unauthenticated");
  EXPECT_EQ(t.Call("GET", "/api/v1/me", "", s2.cookie).status, 200);
}

TEST_F(ApiTest, SessionsExpireWhenIdleAndAtTheAbsoluteLimit) {
  auto admin = t.CreateAccount("admin");
  auto s = t.Login(admin);
  t.clock().Advance(std::chrono::minutes(29));
  EXPECT_EQ(t.Call("GET", "/api/v1/me", "", s.cookie).status, 200);
  t.clock().Advance(std::chrono::minutes(31));
  EXPECT_EQ(t.Call("GET", "/api/v1/me", "", s.cookie).status, 401);

  auto s2 = t.Login(admin);
  for (int i = 0; i < 35; ++i) {  // active every 20 minutes: 11 h 40 min
    t.clock().Advance(std::chrono::minutes(20));
    ASSERT_EQ(t.Call("GET", "/api/v1/me", "", s2.cookie).status, 200) << i;
  }
  t.clock().Advance(std::chrono::minutes(20));  // 12 h
  EXPECT_EQ(t.Call("GET", "/api/v1/me", "", s2.cookie).status, 401);
}

TEST_F(ApiTest, LockoutAfterOneHundredFailuresPerHour) {
  auto admin = t.CreateAccount("admin");
  object wrong{{"email", admin.email}, {"password", "wrong wrong wrong wrong"}};
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(t.Call("POST", "/api/v1/auth/login", serialize(wrong)).status, 401) << i;
  }
  object right{{"email", admin.email},
               {"password", admin.password},
               {"totp_code", t.NextCode(admin.totp_secret)}};
  auto locked = t.Call("POST", "/api/v1/auth/login", serialize(right));
  ExpectProblem(locked, 429, "/locked");
  EXPECT_FALSE(locked.headers.Get("Retry-After").empty());
  t.clock().Advance(std::chrono::minutes(61));
  right["totp_code"] = t.NextCode(admin.totp_secret);
  EXPECT_EQ(t.Call("POST", "/api/v1/auth/login", serialize(right)).status, 200);
}

TEST_F(ApiTest, StaffMustEnrolTotpBeforeUsingTheConsole) {
  // An admin created without TOTP (the usual first login of a new staff member).
  auto u = t.app().accounts().CreateUserAsSystem(
      {"new.admin@example.test", "New Admin", "admin", "a long enough passphrase here"});
  ASSERT_TRUE(u);
  object body{{"email", "new.admin@example.test"}, {"password", "a long enough passphrase here"}};
  auto login = t.Call("POST", "/api/v1/auth/login", serialize(body));
  ASSERT_EQ(login.status, 200) << login.body;
  std::string cookie = CookieFrom(login);
  std::string csrf = Str(ParseJson(login.body), "csrf_token");
  auto me = ParseJson(t.Call("GET", "/api/v1/me", "", cookie).body);
  EXPECT_FALSE(me.at("totp_enrolled").as_bool());
  EXPECT_TRUE(me.at("totp_required").as_bool());
  ExpectProblem(t.Call("GET", "/api/v1/users", "", cookie), 403, "/mfa-enrolment-required");

  auto begin = t.Call("POST", "/api/v1/me/totp", "", cookie, csrf);
  ASSERT_EQ(begin.status, 200) << begin.body;
  std::string secret = Str(ParseJson(begin.body), "secret");
  EXPECT_EQ(Str(ParseJson(begin.body), "otpauth_uri").rfind("otpauth://totp/", 0), 0u);
  auto bad = t.Call("POST", "/api/v1/me/totp/confirm", R"({"code":"000000"})", cookie, csrf);
  ExpectProblem(bad, 422, "/validation-failed");
  object code{{"code", crypto::TotpCode(secret, t.clock().Now())}};
  EXPECT_EQ(t.Call("POST", "/api/v1/me/totp/confirm", serialize(code), cookie, csrf).status, 204);
  EXPECT_EQ(t.Call("GET", "/api/v1/users", "", cookie).status, 200);
}

TEST_F(ApiTest, AdminsManageUsersWithOptimisticConcurrency) {
  auto admin = t.CreateAccount("admin");
  auto s = t.Login(admin);
  object nu{{"email", "Case.Manager@Example.test"},
            {"name", "Casey"},
            {"role", "case_manager"},
            {"password", "password"}};
  auto weak = t.Call("POST", "/api/v1/users", serialize(nu), s.cookie, s.csrf);
  ExpectProblem(weak, 422, "/validation-failed");
  EXPECT_NE(weak.body.find("/password"), std::string::npos);
  EXPECT_EQ(weak.body.find("\"password\":\"password\""), std::string::npos);  // never echoed

  nu["password"] = "a sufficiently long passphrase";
  auto created = t.Call("POST", "/api/v1/users", serialize(nu), s.cookie, s.csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  auto user = ParseJson(created.body);
  std::string id = Str(user, "id");
  EXPECT_EQ(Str(user, "email"), "case.manager@example.test");
  EXPECT_EQ(created.headers.Get("Location"), "/api/v1/users/" + id);
  ExpectProblem(t.Call("POST", "/api/v1/users", serialize(nu), s.cookie, s.csrf), 409,
                "/email-taken");

  auto list = t.Call("GET", "/api/v1/users?limit=1", "", s.cookie);
  ASSERT_EQ(list.status, 200);
  auto lv = ParseJson(list.body);
  EXPECT_EQ(lv.at("items").as_array().size(), 1u);
  std::string cursor = Str(lv, "next_cursor");
  auto page2 =
      ParseJson(t.Call("GET", "/api/v1/users?limit=1&cursor=" + cursor, "", s.cookie).body);
  EXPECT_EQ(page2.at("items").as_array().size(), 1u);
  EXPECT_TRUE(page2.at("next_cursor").is_null());

  std::string v = std::to_string(user.at("version").as_int64());
  ExpectProblem(t.Call("PATCH", "/api/v1/users/" + id, R"({"name":"Casey R."})", s.cookie, s.csrf),
                428, "/precondition-required");
  auto patched = t.Call("PATCH", "/api/v1/users/" + id, R"({"name":"Casey R."})", s.cookie, s.csrf,
                        {{"If-Match", "\"" + v + "\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Str(ParseJson(patched.body), "name"), "Casey R.");
  // A second editor with the old version is told, not overwritten.
  ExpectProblem(t.Call("PATCH", "/api/v1/users/" + id, R"({"role":"supervisor"})", s.cookie, s.csrf,
                       {{"If-Match", "\"" + v + "\""}}),
                412, "/precondition-failed");
  ExpectProblem(t.Call("GET", "/api/v1/users/00000000-0000-7000-8000-0000000000ff", "", s.cookie),
                404, "/not-found");
  // Admins cannot lock themselves out.
  auto self = ParseJson(t.Call("GET", "/api/v1/users/" + admin.id, "", s.cookie).body);
  ExpectProblem(t.Call("PATCH", "/api/v1/users/" + admin.id, R"({"disabled":true})", s.cookie,
                       s.csrf, {{"If-Match", std::to_string(self.at("version").as_int64())}}),
                422, "/validation-failed");
}

TEST_F(ApiTest, DisablingAUserEndsTheirSessions) {
  auto admin = t.CreateAccount("admin");
  auto cm = t.CreateAccount("case_manager");
  auto sa = t.Login(admin);
  auto sc = t.Login(cm);
  ASSERT_EQ(t.Call("GET", "/api/v1/me", "", sc.cookie).status, 200);
  auto u = ParseJson(t.Call("GET", "/api/v1/users/" + cm.id, "", sa.cookie).body);
  auto r = t.Call("PATCH", "/api/v1/users/" + cm.id, R"({"disabled":true})", sa.cookie, sa.csrf,
                  {{"If-Match", std::to_string(u.at("version").as_int64())}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(t.Call("GET", "/api/v1/me", "", sc.cookie).status, 401);
  EXPECT_EQ(t.Login(cm).status, 401);
}

TEST_F(ApiTest, ApiTokensAuthenticateUntilRevoked) {
  auto admin = t.CreateAccount("admin");
  auto s = t.Login(admin);
  auto created =
      t.Call("POST", "/api/v1/tokens", R"({"name":"reporting script"})", s.cookie, s.csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  auto tv = ParseJson(created.body);
  std::string token = Str(tv, "token");
  std::string id = Str(tv, "id");
  auto bearer = [&](const std::string& path) {
    return t.Call("GET", path, "", "", "", {{"Authorization", "Bearer " + token}});
  };
  EXPECT_EQ(bearer("/api/v1/users").status, 200);
  // Token writes need no CSRF token (no ambient cookie).
  auto w = t.Call("POST", "/api/v1/tokens", R"({"name":"second"})", "", "",
                  {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(w.status, 201);
  auto list = ParseJson(t.Call("GET", "/api/v1/tokens", "", s.cookie).body);
  EXPECT_EQ(list.at("items").as_array().size(), 2u);
  EXPECT_EQ(list.at("items").as_array()[0].as_object().count("token"), 0u);  // never shown again
  EXPECT_EQ(t.Call("DELETE", "/api/v1/tokens/" + id, "", s.cookie, s.csrf).status, 204);
  EXPECT_EQ(bearer("/api/v1/users").status, 401);
  ExpectProblem(t.Call("DELETE", "/api/v1/tokens/" + id, "", s.cookie, s.csrf), 404, "/not-found");
}

TEST_F(ApiTest, ChangingThePasswordChecksTheCurrentOneAndThePolicy) {
  auto cm = t.CreateAccount("case_manager");
  auto s = t.Login(cm);
  object b{{"current_password", "wrong one"}, {"new_password", "another fine passphrase"}};
  auto r = t.Call("POST", "/api/v1/me/password", serialize(b), s.cookie, s.csrf);
  ExpectProblem(r, 422, "/validation-failed");
  EXPECT_NE(r.body.find("/current_password"), std::string::npos);
  b["current_password"] = cm.password;
  b["new_password"] = "short";
  r = t.Call("POST", "/api/v1/me/password", serialize(b), s.cookie, s.csrf);
  ExpectProblem(r, 422, "/validation-failed");
  EXPECT_NE(r.body.find("/new_password"), std::string::npos);
  b["new_password"] = "another fine passphrase";
  EXPECT_EQ(t.Call("POST", "/api/v1/me/password", serialize(b), s.cookie, s.csrf).status, 204);
  cm.password = "another fine passphrase";
  EXPECT_EQ(t.Login(cm).status, 200);
}

TEST_F(ApiTest, PersonalDataAccessIsAuditedAndTheChainVerifies) {
  auto admin = t.CreateAccount("admin");
  auto s = t.Login(admin);
  auto before = t.app().audit().Verify(t.app().runner());
  ASSERT_TRUE(before && before->ok);
  auto r = t.Call("GET", "/api/v1/users/" + admin.id, "", s.cookie);
  ASSERT_EQ(r.status, 200);
  auto after = t.app().audit().Verify(t.app().runner());
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->ok) << after->problem;
  EXPECT_EQ(after->entries, before->entries + 1);
}

}  // namespace
}  // namespace soundcheck::testing

namespace soundcheck::testing {
namespace {

TEST(OpenApiTest, DescribesEveryRouteWithItsRoles) {
  TestApp t;
  auto r = t.Call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = ParseJson(r.body);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  for (const auto& route : t.app().pipeline().router().routes()) {
    if (!route.documented) continue;  // an alias ("/hsds/" of "/hsds")
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(paths.contains(route.pattern)) << route.pattern;
    const auto& op = paths.at(route.pattern).as_object();
    ASSERT_TRUE(op.contains(method)) << route.method << " " << route.pattern;
    EXPECT_EQ(op.at(method).at("operationId").as_string(), route.name);
    EXPECT_TRUE(op.at(method).as_object().contains("x-roles"));
    // A route that answers 428 without If-Match documents the header as required; no other
    // route asks for it.
    bool if_match = false;
    if (const auto* params = op.at(method).as_object().if_contains("parameters")) {
      for (const auto& p : params->as_array()) {
        if (p.at("name") == "If-Match" && p.at("in") == "header") {
          if_match = true;
          EXPECT_TRUE(p.at("required").as_bool()) << route.name;
        }
      }
    }
    const bool answers_428 =
        std::find(route.errors.begin(), route.errors.end(), 428) != route.errors.end();
    EXPECT_EQ(if_match, answers_428) << route.name;
  }
  if (const char* out = std::getenv("SC_OPENAPI_OUT"); out && *out) {
    std::ofstream(out) << r.body;
  }
}

}  // namespace
}  // namespace soundcheck::testing

namespace soundcheck::testing {
namespace {

TEST(PublicApiTest, CrisisResourcesByCountryAndLanguage) {
  TestApp t;
  auto us = t.Call("GET", "/api/v1/crisis-resources");
  ASSERT_EQ(us.status, 200) << us.body;
  auto v = ParseJson(us.body);
  EXPECT_EQ(v.at("country"), "US");
  EXPECT_EQ(v.at("emergency"), "911");
  EXPECT_EQ(v.at("lines").as_array()[0].at("phone"), "988");
  EXPECT_FALSE(v.at("last_verified").as_string().empty());
  auto es = ParseJson(t.Call("GET", "/api/v1/crisis-resources?country=gb&lang=es").body);
  EXPECT_EQ(es.at("country"), "GB");
  EXPECT_EQ(es.at("language"), "es");
  EXPECT_NE(std::string(es.at("lines").as_array()[0].at("how").as_string()).find("116 123"),
            std::string::npos);
  auto unknown = ParseJson(t.Call("GET", "/api/v1/crisis-resources?country=ZZ").body);
  EXPECT_FALSE(unknown.at("known").as_bool());
  EXPECT_FALSE(unknown.at("note").as_string().empty());
  ExpectProblem(t.Call("GET", "/api/v1/crisis-resources?country=USA"), 400, "/invalid-request");
}

TEST(PublicApiTest, ScoresAnInstrumentAndStoresNothing) {
  TestApp t;
  auto r = t.Call("POST", "/api/v1/screenings/score",
                  R"({"instrument":"phq9","answers":[2,2,2,2,1,1,2,0,0]})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = ParseJson(r.body);
  EXPECT_EQ(v.at("score").as_int64(), 12);
  EXPECT_EQ(v.at("band"), "moderate");
  EXPECT_EQ(v.at("risk"), "none");
  EXPECT_FALSE(v.as_object().contains("crisis"));
  // Item 9 answered: the crisis lines come in the same response.
  auto risk = ParseJson(t.Call("POST", "/api/v1/screenings/score",
                               R"({"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,1],
                                   "options":{"country":"CA","language":"es"}})")
                            .body);
  EXPECT_NE(risk.at("risk"), "none");
  EXPECT_EQ(risk.at("crisis").at("resources").at("country"), "CA");
  // C-SSRS by question, with skip logic.
  auto high = ParseJson(t.Call("POST", "/api/v1/screenings/score",
                               R"({"instrument":"cssrs","answers":{"q1":true,"q2":true,"q3":false,
                                   "q4":false,"q5":true,"q6":false}})")
                            .body);
  EXPECT_EQ(high.at("risk"), "high");
  EXPECT_TRUE(high.as_object().contains("crisis"));
  // Wrong count: a problem naming the field.
  auto bad = t.Call("POST", "/api/v1/screenings/score", R"({"instrument":"gad7","answers":[1,2]})");
  ExpectProblem(bad, 400, "/invalid-request");
  EXPECT_NE(bad.body.find("/answers"), std::string::npos);
  // A risk answer in a malformed request still carries the crisis lines.
  auto bad_risk = t.Call("POST", "/api/v1/screenings/score",
                         R"({"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,3,1]})");
  EXPECT_EQ(bad_risk.status, 400);
  EXPECT_TRUE(ParseJson(bad_risk.body).as_object().contains("crisis")) << bad_risk.body;
  ExpectProblem(t.Call("POST", "/api/v1/screenings/score",
                       R"({"instrument":"phq9","answers":[0],"extra":1})"),
                400, "/invalid-request");
  // Nothing was stored: the audit log is still empty.
  auto audit = t.app().audit().Verify(t.app().runner());
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->entries, 0);
}

}  // namespace
}  // namespace soundcheck::testing

namespace soundcheck::testing {
namespace {

TEST(RateLimitTest, PublicRoutesAreLimitedPerAddressButProbesAreNot) {
  TestApp t;
  for (int i = 0; i < 400; ++i) ASSERT_EQ(t.Call("GET", "/healthz").status, 200) << i;
  http::Response last;
  int ok = 0;
  for (int i = 0; i < 301; ++i) {
    last = t.Call("GET", "/api/v1/crisis-resources");
    if (last.status == 200) {
      ++ok;
      EXPECT_FALSE(last.headers.Get("RateLimit-Remaining").empty());
    }
  }
  EXPECT_EQ(ok, 300);
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(last.headers.Get("Retry-After"), "60");
  EXPECT_EQ(last.headers.Get("Content-Type"), "application/problem+json");
}

}  // namespace
}  // namespace soundcheck::testing
