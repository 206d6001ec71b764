// Public, anonymous endpoints: crisis lines and the screening calculator. Neither stores
// anything; both are rate-limited by the pipeline.
#include <boost/json.hpp>

#include "core/json_body.h"
#include "domain/screening/screening.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"

namespace soundcheck::http::handlers {

using core::JsonBody;

namespace screening = domain::screening;

boost::json::object CrisisJson(const domain::crisis::CrisisResources& c) {
  boost::json::array lines;
  for (const auto& l : c.lines) {
    boost::json::object o{{"name", l.name}, {"how", l.how}};
    if (!l.phone.empty()) o["phone"] = l.phone;
    if (!l.text.empty()) o["text"] = l.text;
    if (!l.url.empty()) o["url"] = l.url;
    lines.push_back(std::move(o));
  }
  boost::json::object out{{"country", c.country},
                          {"known", c.known},
                          {"language", c.language},
                          {"emergency", c.emergency},
                          {"lines", std::move(lines)},
                          {"version", c.version},
                          {"last_verified", c.last_verified},
                          {"source", c.source}};
  if (!c.note.empty()) out["note"] = c.note;
  return out;
}

Response CrisisResources(Services& s, RequestContext& ctx) {
  auto q = ctx.request.QueryParams();
  std::string language = q.count("lang") ? q["lang"] : ctx.request.headers.Get("Accept-Language");
  auto c = s.crisis->For(q.count("country") ? q["country"] : "", language);
  if (!c) return Problem(c.error(), ctx.request_id);
  Response r = Response::Json(200, CrisisJson(*c));
  r.headers.Set("Cache-Control", "public, max-age=3600");
  return r;
}

Response ScoreScreening(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  screening::ScoreRequest req;
  req.instrument = body->String("instrument", true, 20).value_or("");
  std::string country, language;
  bool cssrs = req.instrument == "cssrs";
  if (cssrs) {
    // The C-SSRS screener is answered by question, with skip logic: {"q1": true, ...}.
    if (auto a = body->Object("answers", true)) {
      screening::CssrsAnswers ans;
      ans.q1 = a->Bool("q1", false);
      ans.q2 = a->Bool("q2", false);
      ans.q3 = a->Bool("q3", false);
      ans.q4 = a->Bool("q4", false);
      ans.q5 = a->Bool("q5", false);
      ans.q6 = a->Bool("q6", false);
      ans.q6_past_3_months = a->Bool("q6_past_3_months", false);
      body->Merge(std::move(*a));
      req.cssrs = ans;
    }
  } else {
    req.answers = body->IntArray("answers", true, 20).value_or(std::vector<int>{});
  }
  if (auto o = body->Object("options", false)) {
    if (auto v = o->Int("phq9_difficulty", false, -1000, 1000))
      req.phq9_difficulty = static_cast<int>(*v);
    req.sex = o->String("sex", false, 20);
    if (auto v = o->Int("auditc_cutoff", false, -1000, 1000))
      req.auditc_cutoff = static_cast<int>(*v);
    req.trauma_exposure = o->Bool("trauma_exposure", false);
    if (auto v = o->Int("pcptsd5_cutoff", false, -1000, 1000))
      req.pcptsd5_cutoff = static_cast<int>(*v);
    req.substance.daily_heavy_alcohol = o->Bool("daily_heavy_alcohol", false).value_or(false);
    req.substance.benzodiazepine_use = o->Bool("benzodiazepine_use", false).value_or(false);
    req.substance.past_withdrawal_seizures =
        o->Bool("past_withdrawal_seizures", false).value_or(false);
    req.substance.opioid_use = o->Bool("opioid_use", false).value_or(false);
    country = o->String("country", false, 2).value_or("");
    language = o->String("language", false, 10).value_or("");
    body->Merge(std::move(*o));
  }
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);

  // Show help first: a risk answer gets the crisis lines even if the rest does not score.
  bool risk_answer = screening::HasRiskAnswer(req);
  auto result = screening::Score(req);
  auto crisis = s.crisis->For(
      country, language.empty() ? ctx.request.headers.Get("Accept-Language") : language);
  if (!result) {
    Response r = Problem(result.error(), ctx.request_id);
    if (risk_answer && crisis) {
      auto v = boost::json::parse(r.body).as_object();
      v["crisis"] = boost::json::object{{"resources", CrisisJson(*crisis)}};
      r.body = boost::json::serialize(v);
    }
    return r;
  }
  boost::json::array flags, suggestions;
  for (const auto& f : result->flags) flags.push_back(boost::json::value(f));
  for (const auto& x : result->suggestions) suggestions.push_back(boost::json::value(x));
  boost::json::object o{{"instrument", result->instrument},
                        {"instrument_version", result->instrument_version},
                        {"score", result->score ? boost::json::value(*result->score) : nullptr},
                        {"band", result->band},
                        {"positive", result->positive},
                        {"flags", std::move(flags)},
                        {"risk", result->risk},
                        {"suggestions", std::move(suggestions)}};
  if (result->cutoff) o["cutoff"] = *result->cutoff;
  if (result->percent) o["percent"] = *result->percent;
  if (result->next_instrument) o["next_instrument"] = *result->next_instrument;
  if ((risk_answer || screening::IsRiskResult(*result)) && crisis) {
    o["crisis"] = boost::json::object{{"resources", CrisisJson(*crisis)}};
  }
  return Response::Json(200, o);
}

}  // namespace soundcheck::http::handlers
