// Working a case: assignment, status, notes. Every edit names the version it was made on
// (If-Match), so two case managers never overwrite each other.
#include <boost/json.hpp>

#include "core/json_body.h"
#include "domain/cases/case_service.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"

namespace soundcheck::http::handlers {

using core::JsonBody;

boost::json::object CaseSummaryJson(const domain::cases::CaseSummary& c);  // intake.cpp

namespace {

boost::json::object NoteJson(const domain::cases::Note& n) {
  return {{"id", n.id},
          {"version", n.version},
          {"body", n.body},
          {"author_id", n.author_id},
          {"created_at", core::FormatRfc3339(core::FromUnixSeconds(n.created_at))}};
}

Response SummaryResponse(const domain::cases::CaseSummary& c) {
  Response r = Response::Json(200, CaseSummaryJson(c));
  SetETag(r, c.version);
  return r;
}

}  // namespace

Response AssignCase(Services& s, RequestContext& ctx) {
  auto version = IfMatchVersion(ctx.request);
  if (!version) return PreconditionRequired(ctx.request_id);
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  // null unassigns; the key must be present so an empty body is not read as "unassign".
  bool present = body->Has("user_id");
  auto user = body->String("user_id", false, 40);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  if (!present && !body->IsNull("user_id")) {
    return Problem(core::Error::Unprocessable("user_id missing", {{"/user_id", "required",
                                                                   "Name the assignee, or null."}}),
                   ctx.request_id);
  }
  auto c = s.cases->Assign(CallerOf(ctx), ctx.params["id"], user.value_or(""), *version);
  if (!c) return Problem(c.error(), ctx.request_id);
  return SummaryResponse(*c);
}

Response SetCaseStatus(Services& s, RequestContext& ctx) {
  auto version = IfMatchVersion(ctx.request);
  if (!version) return PreconditionRequired(ctx.request_id);
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto status = body->String("status", true, 20);
  auto reason = body->String("reason", false, 1000);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto c =
      s.cases->SetStatus(CallerOf(ctx), ctx.params["id"], *status, reason.value_or(""), *version);
  if (!c) return Problem(c.error(), ctx.request_id);
  return SummaryResponse(*c);
}

Response ListNotes(Services& s, RequestContext& ctx) {
  auto notes = s.cases->Notes(CallerOf(ctx), ctx.params["id"]);
  if (!notes) return Problem(notes.error(), ctx.request_id);
  boost::json::array items;
  for (const auto& n : *notes) items.push_back(NoteJson(n));
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Response AddNote(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto text = body->String("body", true, 20000);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto n = s.cases->AddNote(CallerOf(ctx), ctx.params["id"], *text);
  if (!n) return Problem(n.error(), ctx.request_id);
  Response r = Response::Json(201, NoteJson(*n));
  r.headers.Set("Location", "/api/v1/cases/" + ctx.params["id"] + "/notes/" + n->id);
  SetETag(r, n->version);
  return r;
}

Response EditNote(Services& s, RequestContext& ctx) {
  auto version = IfMatchVersion(ctx.request);
  if (!version) return PreconditionRequired(ctx.request_id);
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto text = body->String("body", true, 20000);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto n =
      s.cases->EditNote(CallerOf(ctx), ctx.params["id"], ctx.params["note_id"], *text, *version);
  if (!n) return Problem(n.error(), ctx.request_id);
  Response r = Response::Json(200, NoteJson(*n));
  SetETag(r, n->version);
  return r;
}

namespace {

boost::json::object TaskJson(const domain::cases::Task& t) {
  auto ts = [](int64_t v) { return core::FormatRfc3339(core::FromUnixSeconds(v)); };
  return {{"id", t.id},
          {"title", t.title},
          {"due_at", ts(t.due_at)},
          {"status", t.status},
          {"created_by", t.created_by},
          {"created_at", ts(t.created_at)},
          {"done_at", t.done_at ? boost::json::value(ts(*t.done_at)) : nullptr}};
}

}  // namespace

Response AddTask(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto title = body->String("title", true, 1000);
  auto due = body->String("due_at", true, 40);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto due_at = core::ParseRfc3339(*due);
  if (!due_at) {
    return Problem(
        core::Error::Unprocessable(
            "bad due_at", {{"/due_at", "invalid_format", "Use a time like 2026-11-24T18:00:00Z."}}),
        ctx.request_id);
  }
  auto t = s.cases->AddTask(CallerOf(ctx), ctx.params["id"], *title, core::ToUnixSeconds(*due_at));
  if (!t) return Problem(t.error(), ctx.request_id);
  return Response::Json(201, TaskJson(*t));
}

Response ListTasks(Services& s, RequestContext& ctx) {
  auto tasks = s.cases->Tasks(CallerOf(ctx), ctx.params["id"]);
  if (!tasks) return Problem(tasks.error(), ctx.request_id);
  boost::json::array items;
  for (const auto& t : *tasks) items.push_back(TaskJson(t));
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Response CompleteTask(Services& s, RequestContext& ctx) {
  auto t = s.cases->CompleteTask(CallerOf(ctx), ctx.params["id"], ctx.params["task_id"]);
  if (!t) return Problem(t.error(), ctx.request_id);
  return Response::Json(200, TaskJson(*t));
}

Response LogContactAttempt(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto channel = body->String("channel", true, 20);
  auto outcome = body->String("outcome", true, 30);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto a = s.cases->LogContactAttempt(CallerOf(ctx), ctx.params["id"], *channel, *outcome);
  if (!a) return Problem(a.error(), ctx.request_id);
  return Response::Json(201, {{"channel", a->channel},
                              {"outcome", a->outcome},
                              {"at", core::FormatRfc3339(core::FromUnixSeconds(a->at))}});
}

}  // namespace soundcheck::http::handlers
