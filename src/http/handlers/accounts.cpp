#include <boost/json.hpp>
#include <charconv>

#include "core/json_body.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/pipeline.h"
#include "http/problem.h"

namespace soundcheck::http::handlers {

using core::JsonBody;
namespace {

using domain::accounts::Caller;
using domain::accounts::RequiresMfa;
using domain::accounts::RoleName;
using domain::accounts::User;

boost::json::object UserJson(const User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"role", RoleName(u.role)},
          {"disabled", u.disabled},
          {"totp_enrolled", u.totp_enrolled},
          {"totp_required", RequiresMfa(u.role)},
          {"version", u.version},
          {"created_at", core::FormatRfc3339(u.created_at)}};
}

boost::json::value Ts(const std::optional<int64_t>& t) {
  if (!t) return nullptr;
  return boost::json::value(core::FormatRfc3339(core::FromUnixSeconds(*t)));
}

boost::json::object TokenJson(const domain::accounts::TokenInfo& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", core::FormatRfc3339(core::FromUnixSeconds(t.created_at))},
          {"last_used_at", Ts(t.last_used_at)},
          {"revoked_at", Ts(t.revoked_at)}};
}

Response Fail(const core::Error& e, const RequestContext& ctx) {
  Response r = Problem(e, ctx.request_id);
  if (e.code == core::ErrorCode::kResourceExhausted) r.headers.Set("Retry-After", "3600");
  return r;
}

std::string SessionCookie(const std::string& value, int max_age) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=" + std::to_string(max_age);
}

}  // namespace

Response Login(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Fail(body.error(), ctx);
  auto email = body->String("email", true, 320);
  auto password = body->String("password", true, 4096);
  auto code = body->String("totp_code", false, 16);
  if (auto st = body->Finish(); !st) return Fail(st.error(), ctx);
  auto result = s.accounts->Login({*email, *password, code, ctx.request_id});
  if (!result) return Fail(result.error(), ctx);
  boost::json::object o{{"user", UserJson(result->user)}, {"csrf_token", result->csrf_token}};
  Response r = Response::Json(200, o);
  r.headers.Add("Set-Cookie", SessionCookie(result->session_token, s.session_max_age_seconds));
  return r;
}

Response Logout(Services& s, RequestContext& ctx) {
  if (auto st = s.accounts->Logout(CallerOf(ctx)); !st) return Fail(st.error(), ctx);
  Response r = Response::NoContent();
  r.headers.Add("Set-Cookie", SessionCookie("", 0));
  return r;
}

Response Me(Services& s, RequestContext& ctx) {
  auto u = s.accounts->Me(CallerOf(ctx));
  if (!u) return Fail(u.error(), ctx);
  boost::json::object o = UserJson(*u);
  if (ctx.principal->method == domain::accounts::AuthMethod::kSession) {
    o["csrf_token"] = ctx.principal->csrf_token;
  }
  return Response::Json(200, o);
}

Response BeginTotp(Services& s, RequestContext& ctx) {
  auto e = s.accounts->BeginTotp(CallerOf(ctx));
  if (!e) return Fail(e.error(), ctx);
  return Response::Json(200, {{"secret", e->secret}, {"otpauth_uri", e->otpauth_uri}});
}

Response ConfirmTotp(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Fail(body.error(), ctx);
  auto code = body->String("code", true, 16);
  if (auto st = body->Finish(); !st) return Fail(st.error(), ctx);
  if (auto st = s.accounts->ConfirmTotp(CallerOf(ctx), *code); !st) return Fail(st.error(), ctx);
  return Response::NoContent();
}

Response ChangePassword(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Fail(body.error(), ctx);
  auto current = body->String("current_password", true, 4096);
  auto next = body->String("new_password", true, 4096);
  if (auto st = body->Finish(); !st) return Fail(st.error(), ctx);
  if (auto st = s.accounts->ChangePassword(CallerOf(ctx), *current, *next); !st) {
    return Fail(st.error(), ctx);
  }
  return Response::NoContent();
}

Response ListUsers(Services& s, RequestContext& ctx) {
  auto q = ctx.request.QueryParams();
  int limit = 50;
  if (auto it = q.find("limit"); it != q.end()) {
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), limit);
    if (ec != std::errc() || limit < 1 || limit > 200) {
      return Fail(core::Error::InvalidArgument(
                      "bad limit", {{"/limit", "out_of_range", "Use a limit from 1 to 200."}}),
                  ctx);
    }
  }
  auto page = s.accounts->ListUsers(CallerOf(ctx), q.count("cursor") ? q["cursor"] : "", limit);
  if (!page) return Fail(page.error(), ctx);
  boost::json::array items;
  for (const auto& u : page->items) items.push_back(UserJson(u));
  boost::json::object o{{"items", std::move(items)}};
  o["next_cursor"] = page->next_cursor.empty() ? boost::json::value(nullptr)
                                               : boost::json::value(page->next_cursor);
  return Response::Json(200, o);
}

Response CreateUser(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Fail(body.error(), ctx);
  auto email = body->String("email", true, 320);
  auto name = body->String("name", true, 200);
  auto role = body->String("role", true, 40);
  auto password = body->String("password", true, 4096);
  if (auto st = body->Finish(); !st) return Fail(st.error(), ctx);
  auto u = s.accounts->CreateUser(CallerOf(ctx), {*email, *name, *role, *password});
  if (!u) return Fail(u.error(), ctx);
  Response r = Response::Json(201, UserJson(*u));
  r.headers.Set("Location", "/api/v1/users/" + u->id);
  r.headers.Set("ETag", "\"" + std::to_string(u->version) + "\"");
  return r;
}

Response GetUser(Services& s, RequestContext& ctx) {
  const std::string& id = ctx.params["id"];
  if (!core::IsUuid(id)) return Fail(core::Error::NotFound("bad id"), ctx);
  auto u = s.accounts->GetUser(CallerOf(ctx), id);
  if (!u) return Fail(u.error(), ctx);
  Response r = Response::Json(200, UserJson(*u));
  r.headers.Set("ETag", "\"" + std::to_string(u->version) + "\"");
  return r;
}

Response UpdateUser(Services& s, RequestContext& ctx) {
  const std::string& id = ctx.params["id"];
  if (!core::IsUuid(id)) return Fail(core::Error::NotFound("bad id"), ctx);
  auto version = IfMatchVersion(ctx.request);
  if (!version) return PreconditionRequired(ctx.request_id);
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Fail(body.error(), ctx);
  domain::accounts::UserPatch patch;
  patch.name = body->String("name", false, 200);
  patch.role = body->String("role", false, 40);
  patch.disabled = body->Bool("disabled", false);
  if (auto st = body->Finish(); !st) return Fail(st.error(), ctx);
  auto u = s.accounts->UpdateUser(CallerOf(ctx), id, patch, *version);
  if (!u) return Fail(u.error(), ctx);
  Response r = Response::Json(200, UserJson(*u));
  r.headers.Set("ETag", "\"" + std::to_string(u->version) + "\"");
  return r;
}

Response ListTokens(Services& s, RequestContext& ctx) {
  auto list = s.accounts->ListTokens(CallerOf(ctx));
  if (!list) return Fail(list.error(), ctx);
  boost::json::array items;
  for (const auto& t : *list) items.push_back(TokenJson(t));
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Response CreateToken(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Fail(body.error(), ctx);
  auto name = body->String("name", true, 100);
  if (auto st = body->Finish(); !st) return Fail(st.error(), ctx);
  auto t = s.accounts->CreateToken(CallerOf(ctx), *name);
  if (!t) return Fail(t.error(), ctx);
  boost::json::object o = TokenJson(t->info);
  o["token"] = t->token;
  Response r = Response::Json(201, o);
  r.headers.Set("Location", "/api/v1/tokens/" + t->info.id);
  return r;
}

Response RevokeToken(Services& s, RequestContext& ctx) {
  if (auto st = s.accounts->RevokeToken(CallerOf(ctx), ctx.params["id"]); !st) {
    return Fail(st.error(), ctx);
  }
  return Response::NoContent();
}

}  // namespace soundcheck::http::handlers
