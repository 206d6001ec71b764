// The intake (public) and the case queue (staff). Thin: decode strictly, call the domain
// service, encode. A risk answer puts the crisis lines into the response whatever else
// happens — validation errors, a database that is down, or a retry.
#include <boost/json.hpp>
#include <charconv>

#include "core/json_body.h"
#include "domain/cases/case_service.h"
#include "domain/intake/intake_service.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"

namespace soundcheck::http::handlers {

using core::JsonBody;

boost::json::object CrisisJson(const domain::crisis::CrisisResources& c);  // public.cpp

namespace {

namespace intake = domain::intake;
namespace screening = domain::screening;

std::vector<std::string> Strings(JsonBody& body, const std::string& name, size_t max_items) {
  return body.StringArray(name, false, max_items).value_or(std::vector<std::string>{});
}

std::optional<screening::ScoreRequest> DecodeScreen(JsonBody& s) {
  screening::ScoreRequest req;
  req.instrument = s.String("instrument", true, 20).value_or("");
  if (req.instrument == "cssrs") {
    if (auto a = s.Object("answers", true)) {
      screening::CssrsAnswers ans;
      ans.q1 = a->Bool("q1", false);
      ans.q2 = a->Bool("q2", false);
      ans.q3 = a->Bool("q3", false);
      ans.q4 = a->Bool("q4", false);
      ans.q5 = a->Bool("q5", false);
      ans.q6 = a->Bool("q6", false);
      ans.q6_past_3_months = a->Bool("q6_past_3_months", false);
      s.Merge(std::move(*a));
      req.cssrs = ans;
    }
  } else {
    req.answers = s.IntArray("answers", true, 20).value_or(std::vector<int>{});
  }
  if (auto v = s.Int("phq9_difficulty", false, -1000, 1000)) {
    req.phq9_difficulty = static_cast<int>(*v);
  }
  req.trauma_exposure = s.Bool("trauma_exposure", false);
  return req;
}

}  // namespace

Response SubmitIntake(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  intake::IntakeInput in;
  in.raw_json = ctx.request.body;
  in.for_whom = body->String("for", true, 20).value_or("");
  in.relationship = body->String("relationship", false, 20).value_or("");
  in.preferred_name = body->String("preferred_name", true, 200).value_or("");
  in.language = body->String("language", true, 10).value_or("");
  if (auto c = body->Object("contact", true)) {
    in.contact.email = c->String("email", false, 320);
    in.contact.phone = c->String("phone", false, 40);
    in.contact.preferred = c->String("preferred", true, 10).value_or("");
    in.contact.voicemail_ok = c->Bool("voicemail_ok", false).value_or(false);
    in.contact.text_ok = c->Bool("text_ok", false).value_or(false);
    in.contact.email_ok = c->Bool("email_ok", false).value_or(false);
    body->Merge(std::move(*c));
  }
  in.industry_role = body->String("industry_role", true, 40).value_or("");
  if (auto l = body->Object("location", true)) {
    in.location.country = l->String("country", true, 2).value_or("");
    in.location.region = l->String("region", false, 6).value_or("");
    in.location.city = l->String("city", false, 200).value_or("");
    in.location.time_zone = l->String("time_zone", true, 64).value_or("");
    body->Merge(std::move(*l));
  }
  if (auto t = body->Object("on_tour", false)) {
    in.on_tour = t->Bool("now", true).value_or(false);
    in.on_tour_until = t->String("until", false, 10).value_or("");
    body->Merge(std::move(*t));
  }
  in.requests = Strings(*body, "requests", 6);
  if (!body->Has("requests")) body->Require("requests");
  if (auto i = body->Object("insurance", false)) {
    intake::Insurance ins;
    ins.type = i->String("type", true, 20).value_or("");
    ins.carrier = i->String("carrier", false, 200).value_or("");
    ins.plan_name = i->String("plan_name", false, 200).value_or("");
    ins.member_id = i->String("member_id", false, 200).value_or("");
    body->Merge(std::move(*i));
    in.insurance = ins;
  }
  if (auto h = body->Object("household", false)) {
    intake::Household hh;
    if (auto n = h->Int("size", false, 0, 1000)) hh.size = static_cast<int>(*n);
    hh.income_band = h->String("income_band", false, 30).value_or("");
    body->Merge(std::move(*h));
    in.household = hh;
  }
  if (auto p = body->Object("preferences", false)) {
    in.preferences.language = p->String("language", false, 20).value_or("");
    in.preferences.format = p->String("format", false, 20).value_or("");
    in.preferences.provider_identity = p->String("provider_identity", false, 400).value_or("");
    in.preferences.specialties = Strings(*p, "specialties", 10);
    body->Merge(std::move(*p));
  }
  for (auto& screen : body->ObjectArray("screenings", false, 12)) {
    auto req = DecodeScreen(screen);
    body->Merge(std::move(screen));
    if (req) in.screenings.push_back(std::move(*req));
  }
  if (auto c = body->Object("consents", true)) {
    in.privacy_notice_version = c->String("privacy_notice_version", true, 40).value_or("");
    in.consent_contact = c->Bool("contact", true).value_or(false);
    body->Merge(std::move(*c));
  }
  in.src = body->String("src", false, 64).value_or("");
  auto decoded = body->Finish();

  // Crisis lines first: they go into every answer to a risk answer, success or not.
  std::optional<domain::crisis::CrisisResources> crisis;
  if (intake::HasRiskAnswer(in)) {
    auto c = s.crisis->For(in.location.country.size() == 2 ? in.location.country : "", in.language);
    if (!c) c = s.crisis->For("", in.language);
    if (c) crisis = std::move(*c);
  }
  auto with_crisis = [&](Response r) {
    if (!crisis) return r;
    auto v = boost::json::parse(r.body).as_object();
    v["crisis"] = boost::json::object{{"resources", CrisisJson(*crisis)}};
    r.body = boost::json::serialize(v);
    return r;
  };
  if (!decoded) return with_crisis(Problem(decoded.error(), ctx.request_id));

  auto receipt = s.intake->Submit(in, ctx.request.headers.Get("Idempotency-Key"), ctx.request_id);
  if (!receipt) return with_crisis(Problem(receipt.error(), ctx.request_id));
  boost::json::object o{
      {"reference", receipt->reference},
      {"status", "received"},
      {"urgent", receipt->urgent},
      {"status_link_sent", receipt->status_link_sent},
      {"next_steps",
       boost::json::object{
           {"message",
            s.text(receipt->language, receipt->urgent ? "intake.next.urgent" : "intake.next.normal",
                   {{"reference", receipt->reference},
                    {"hours", std::to_string(receipt->contact_within_hours)}})},
           {"contact_within_hours", receipt->contact_within_hours}}}};
  Response r = with_crisis(Response::Json(201, o));
  if (receipt->replayed) r.headers.Set("Idempotent-Replayed", "true");
  return r;
}

namespace {

boost::json::value Ts(int64_t t) {
  return boost::json::value(core::FormatRfc3339(core::FromUnixSeconds(t)));
}

}  // namespace

boost::json::object CaseSummaryJson(const domain::cases::CaseSummary& c) {
  boost::json::array requests;
  for (const auto& r : c.requests) requests.push_back(boost::json::value(r));
  return {{"id", c.id},
          {"reference", c.reference},
          {"status", c.status},
          {"urgent", c.urgent},
          {"assigned_to", c.assigned_to ? boost::json::value(*c.assigned_to) : nullptr},
          {"country", c.country},
          {"region", c.region},
          {"industry_role", c.industry_role},
          {"requests", std::move(requests)},
          {"src", c.src},
          {"created_at", Ts(c.created_at)},
          {"first_contact_due_at", Ts(c.first_contact_due_at)},
          {"first_contact_at", c.first_contact_at ? Ts(*c.first_contact_at) : nullptr},
          {"version", c.version}};
}

Response ListCases(Services& s, RequestContext& ctx) {
  auto q = ctx.request.QueryParams();
  domain::cases::CaseFilter f;
  if (q.count("status")) f.status = q["status"];
  if (q.count("urgent")) {
    if (q["urgent"] != "true" && q["urgent"] != "false") {
      return Problem(core::Error::InvalidArgument(
                         "bad urgent", {{"/urgent", "invalid_value", "Use true or false."}}),
                     ctx.request_id);
    }
    f.urgent = q["urgent"] == "true";
  }
  int limit = 50;
  if (q.count("limit")) {
    auto& v = q["limit"];
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
    if (ec != std::errc() || p != v.data() + v.size() || limit < 1 || limit > 200) {
      return Problem(core::Error::InvalidArgument(
                         "bad limit", {{"/limit", "out_of_range", "Use a limit from 1 to 200."}}),
                     ctx.request_id);
    }
  }
  auto page = s.cases->List(CallerOf(ctx), f, q.count("cursor") ? q["cursor"] : "", limit);
  if (!page) return Problem(page.error(), ctx.request_id);
  boost::json::array items;
  for (const auto& c : page->items) items.push_back(CaseSummaryJson(c));
  boost::json::object by_status;
  for (const auto& [status, n] : page->counts.by_status) by_status[status] = n;
  return Response::Json(
      200, {{"items", std::move(items)},
            {"next_cursor", page->next_cursor.empty() ? boost::json::value(nullptr)
                                                      : boost::json::value(page->next_cursor)},
            {"counts", boost::json::object{{"open", page->counts.open},
                                           {"urgent_open", page->counts.urgent_open},
                                           {"by_status", std::move(by_status)}}}});
}

Response GetCase(Services& s, RequestContext& ctx) {
  auto c = s.cases->Get(CallerOf(ctx), ctx.params["id"]);
  if (!c) return Problem(c.error(), ctx.request_id);
  boost::json::object o = CaseSummaryJson(c->summary);
  boost::system::error_code ec;
  o["person"] = boost::json::object{{"preferred_name", c->preferred_name},
                                    {"contact", boost::json::parse(c->contact_json, ec)}};
  auto intake_doc = boost::json::parse(c->intake_json, ec);
  o["intake"] = ec ? boost::json::value(nullptr) : intake_doc;
  boost::json::array screens;
  for (const auto& r : c->screenings) {
    boost::json::array flags;
    for (const auto& f : r.flags) flags.push_back(boost::json::value(f));
    screens.push_back(
        boost::json::object{{"instrument", r.instrument},
                            {"score", r.score ? boost::json::value(*r.score) : nullptr},
                            {"band", r.band},
                            {"positive", r.positive},
                            {"risk", r.risk},
                            {"flags", std::move(flags)}});
  }
  o["screenings"] = std::move(screens);
  boost::json::array timeline;
  for (const auto& e : c->timeline) {
    timeline.push_back(boost::json::object{
        {"at", Ts(e.at)}, {"actor_id", e.actor_id}, {"type", e.type}, {"detail", e.detail}});
  }
  o["timeline"] = std::move(timeline);
  boost::json::array links;
  for (const auto& l : c->links) {
    links.push_back(boost::json::object{
        {"case_id", l.case_id}, {"reference", l.reference}, {"relationship", l.relationship}});
  }
  o["links"] = std::move(links);
  Response r = Response::Json(200, o);
  r.headers.Set("ETag", "\"" + std::to_string(c->summary.version) + "\"");
  return r;
}

}  // namespace soundcheck::http::handlers
