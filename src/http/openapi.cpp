#include "http/openapi.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <regex>

#include "domain/accounts/roles.h"
#include "matching/care_profile.h"

namespace soundcheck::http {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

value Ref(const std::string& name) { return object{{"$ref", "#/components/schemas/" + name}}; }

object Str(const char* description = nullptr) {
  object o{{"type", "string"}};
  if (description) o["description"] = description;
  return o;
}

object Obj(object properties, array required, bool closed = true) {
  object o{
      {"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
  if (closed) o["additionalProperties"] = false;
  return o;
}

object Schemas() {
  array roles;
  for (auto r : domain::accounts::kAllRoles) roles.push_back(value(domain::accounts::RoleName(r)));
  object role{{"type", "string"}, {"enum", roles}};
  object uuid{{"type", "string"}, {"format", "uuid"}};
  object ts{{"type", "string"}, {"format", "date-time"}};
  object nullable_ts{{"type", array{"string", "null"}}, {"format", "date-time"}};
  object user_props{{"id", uuid},
                    {"email", object{{"type", "string"}, {"format", "email"}}},
                    {"name", Str()},
                    {"role", role},
                    {"disabled", object{{"type", "boolean"}}},
                    {"totp_enrolled", object{{"type", "boolean"}}},
                    {"totp_required", object{{"type", "boolean"}}},
                    {"version", object{{"type", "integer"}, {"minimum", 1}}},
                    {"created_at", ts}};
  array user_required{"id",        "email",         "name",          "role",
                      "disabled",  "totp_enrolled", "totp_required", "version",
                      "created_at"};
  object me_props = user_props;
  me_props["csrf_token"] = Str("Send as X-CSRF-Token on cookie-authenticated writes.");
  object token_props{{"id", uuid},
                     {"name", Str()},
                     {"created_at", ts},
                     {"last_used_at", nullable_ts},
                     {"revoked_at", nullable_ts}};
  array token_required{"id", "name", "created_at", "last_used_at", "revoked_at"};
  object created_props = token_props;
  created_props["token"] = Str("The token value; shown once, stored only as a hash.");
  array created_required = token_required;
  created_required.push_back("token");

  object s;
  s["Problem"] = Obj(
      {{"type", object{{"type", "string"}, {"format", "uri"}}},
       {"title", Str()},
       {"status", object{{"type", "integer"}}},
       {"detail", Str("Safe to show the user; never personal data.")},
       {"instance", Str("The request id.")},
       {"errors",
        object{{"type", "array"},
               {"items", Obj({{"field", Str("JSON Pointer")}, {"code", Str()}, {"message", Str()}},
                             {"field", "code", "message"})}}},
       {"crisis", object{{"type", "object"},
                         {"description", "Crisis lines, present whenever a risk answer was given."},
                         {"properties", object{{"resources", Ref("CrisisResources")}}}}}},
      {"type", "title", "status", "detail", "instance"});
  s["Health"] = Obj({{"status", Str()}, {"version", Str()}}, {"status"});
  object screen_in = Obj(
      {{"instrument", Str()},
       {"answers",
        object{{"oneOf", array{object{{"type", "array"}, {"items", object{{"type", "integer"}}}},
                               object{{"type", "object"}}}}}},
       {"phq9_difficulty", object{{"type", "integer"}}},
       {"trauma_exposure", object{{"type", "boolean"}}}},
      {"instrument", "answers"});
  object string_list{{"type", "array"}, {"items", object{{"type", "string"}}}};
  s["IntakeRequest"] =
      Obj({{"for", object{{"type", "string"}, {"enum", array{"self", "family"}}}},
           {"relationship", Str()},
           {"preferred_name", Str()},
           {"language", object{{"type", "string"}, {"enum", array{"en", "es"}}}},
           {"contact", Obj({{"email", Str()},
                            {"phone", Str()},
                            {"preferred", Str()},
                            {"voicemail_ok", object{{"type", "boolean"}}},
                            {"text_ok", object{{"type", "boolean"}}},
                            {"email_ok", object{{"type", "boolean"}}}},
                           {"preferred"})},
           {"industry_role", Str()},
           {"location",
            Obj({{"country", Str()}, {"region", Str()}, {"city", Str()}, {"time_zone", Str()}},
                {"country", "time_zone"})},
           {"on_tour", Obj({{"now", object{{"type", "boolean"}}},
                            {"until", object{{"type", "string"}, {"format", "date"}}}},
                           {"now"})},
           {"requests", string_list},
           {"insurance",
            Obj({{"type", Str()}, {"carrier", Str()}, {"plan_name", Str()}, {"member_id", Str()}},
                {"type"})},
           {"household", Obj({{"size", object{{"type", "integer"}}}, {"income_band", Str()}}, {})},
           {"preferences", Obj({{"language", Str()},
                                {"format", Str()},
                                {"provider_identity", Str()},
                                {"specialties", string_list}},
                               {})},
           {"screenings", object{{"type", "array"}, {"items", screen_in}}},
           {"consents",
            Obj({{"privacy_notice_version", Str()}, {"contact", object{{"type", "boolean"}}}},
                {"privacy_notice_version", "contact"})},
           {"src", Str("Attribution: venue code, partner app or program code")}},
          {"for", "preferred_name", "language", "contact", "industry_role", "location", "requests",
           "consents"});
  s["IntakeReceipt"] =
      Obj({{"reference", Str("SC-XXXX-XXXX")},
           {"status", Str()},
           {"urgent", object{{"type", "boolean"}}},
           {"next_steps",
            Obj({{"message", Str()}, {"contact_within_hours", object{{"type", "integer"}}}},
                {"message", "contact_within_hours"})},
           {"crisis", object{{"type", "object"},
                             {"properties", object{{"resources", Ref("CrisisResources")}}},
                             {"required", array{"resources"}}}}},
          {"reference", "status", "urgent", "next_steps"});
  s["IntakeReceipt"].as_object()["properties"].as_object()["status_link_sent"] = object{
      {"type", "boolean"}, {"description", "A link to the status page is on its way by mail."}};
  object case_props{
      {"id", uuid},
      {"reference", Str()},
      {"status",
       object{{"type", "string"},
              {"enum", array{"new", "contacted", "assessing", "planning", "active", "closed"}}}},
      {"urgent", object{{"type", "boolean"}}},
      {"assigned_to", object{{"type", array{"string", "null"}}}},
      {"country", Str()},
      {"region", Str()},
      {"industry_role", Str()},
      {"requests", string_list},
      {"src", Str()},
      {"created_at", ts},
      {"first_contact_due_at", ts},
      {"first_contact_at", nullable_ts},
      {"version", object{{"type", "integer"}}}};
  array case_required{"id",
                      "reference",
                      "status",
                      "urgent",
                      "assigned_to",
                      "created_at",
                      "first_contact_due_at",
                      "version"};
  s["CaseSummary"] = Obj(case_props, case_required);
  s["CaseAssign"] = Obj({{"user_id", object{{"type", array{"string", "null"}}}}}, {"user_id"});
  s["CaseStatus"] = Obj({{"status", Str()}, {"reason", Str()}}, {"status"});
  s["NoteBody"] = Obj({{"body", Str()}}, {"body"});
  s["Note"] = Obj({{"id", uuid},
                   {"version", object{{"type", "integer"}}},
                   {"body", Str()},
                   {"author_id", Str()},
                   {"created_at", ts}},
                  {"id", "version", "body", "author_id", "created_at"});
  s["NoteList"] = Obj({{"items", object{{"type", "array"}, {"items", Ref("Note")}}},
                       {"next_cursor", object{{"type", "null"}}}},
                      {"items", "next_cursor"});
  s["TaskCreate"] = Obj({{"title", Str()}, {"due_at", ts}}, {"title", "due_at"});
  s["Task"] = Obj({{"id", uuid},
                   {"title", Str()},
                   {"due_at", ts},
                   {"status", object{{"type", "string"}, {"enum", array{"open", "done"}}}},
                   {"created_by", Str()},
                   {"created_at", ts},
                   {"done_at", nullable_ts}},
                  {"id", "title", "due_at", "status", "created_by", "created_at", "done_at"});
  s["TaskList"] = Obj({{"items", object{{"type", "array"}, {"items", Ref("Task")}}},
                       {"next_cursor", object{{"type", "null"}}}},
                      {"items", "next_cursor"});
  s["ContactAttempt"] =
      Obj({{"channel", object{{"type", "string"}, {"enum", array{"phone", "text", "email"}}}},
           {"outcome", object{{"type", "string"},
                              {"enum", array{"reached", "no_answer", "left_voicemail",
                                             "message_sent", "wrong_number"}}}}},
          {"channel", "outcome"});
  s["ContactAttemptLogged"] =
      Obj({{"channel", Str()}, {"outcome", Str()}, {"at", ts}}, {"channel", "outcome", "at"});
  object status_counts;
  for (const char* st : {"new", "contacted", "assessing", "planning", "active", "closed"}) {
    status_counts[st] = object{{"type", "integer"}, {"minimum", 0}};
  }
  s["CaseList"] =
      Obj({{"items", object{{"type", "array"}, {"items", Ref("CaseSummary")}}},
           {"next_cursor", object{{"type", array{"string", "null"}}}},
           {"counts", Obj({{"open", object{{"type", "integer"}, {"minimum", 0}}},
                           {"urgent_open", object{{"type", "integer"}, {"minimum", 0}}},
                           {"by_status", Obj(status_counts, {"new", "contacted", "assessing",
                                                             "planning", "active", "closed"})}},
                          {"open", "urgent_open", "by_status"})}},
          {"items", "next_cursor", "counts"});
  object detail_props = case_props;
  detail_props["person"] = Obj({{"preferred_name", Str()}, {"contact", object{{"type", "object"}}}},
                               {"preferred_name", "contact"});
  detail_props["intake"] = object{{"type", array{"object", "null"}}};
  detail_props["screenings"] = object{{"type", "array"}, {"items", object{{"type", "object"}}}};
  detail_props["timeline"] =
      object{{"type", "array"},
             {"items", Obj({{"at", ts}, {"actor_id", Str()}, {"type", Str()}, {"detail", Str()}},
                           {"at", "actor_id", "type", "detail"})}};
  array detail_required = case_required;
  object link_props{{"case_id", uuid}, {"reference", Str()}, {"relationship", Str()}};
  s["CaseLink"] = Obj(link_props, {"case_id", "reference", "relationship"});
  detail_props["links"] = object{{"type", "array"}, {"items", Ref("CaseLink")}};
  for (const char* k : {"person", "intake", "screenings", "timeline", "links"})
    detail_required.push_back(value(k));
  s["CaseDetail"] = Obj(detail_props, detail_required);
  object crisis_line = Obj({{"name", Str()},
                            {"how", Str()},
                            {"phone", Str()},
                            {"text", Str()},
                            {"url", object{{"type", "string"}, {"format", "uri"}}}},
                           {"name", "how"});
  s["CrisisResources"] = Obj(
      {{"country", Str("ISO 3166-1 alpha-2")},
       {"known", object{{"type", "boolean"}, {"description", "false: the fallback was used"}}},
       {"language", object{{"type", "string"}, {"enum", array{"en", "es"}}}},
       {"emergency", Str("Emergency number")},
       {"lines", object{{"type", "array"}, {"items", crisis_line}}},
       {"note", Str()},
       {"version", object{{"type", "integer"}}},
       {"last_verified", object{{"type", "string"}, {"format", "date"}}},
       {"source", Str()}},
      {"country", "known", "language", "emergency", "lines", "version", "last_verified", "source"});
  object int_answers{{"type", "array"}, {"items", object{{"type", "integer"}}}, {"maxItems", 20}};
  object cssrs_answers = Obj({{"q1", object{{"type", "boolean"}}},
                              {"q2", object{{"type", "boolean"}}},
                              {"q3", object{{"type", "boolean"}}},
                              {"q4", object{{"type", "boolean"}}},
                              {"q5", object{{"type", "boolean"}}},
                              {"q6", object{{"type", "boolean"}}},
                              {"q6_past_3_months", object{{"type", "boolean"}}}},
                             {});
  s["ScoreRequest"] =
      Obj({{"instrument", object{{"type", "string"},
                                 {"enum", array{"phq2", "phq9", "gad2", "gad7", "auditc", "dast10",
                                                "pcptsd5", "cssrs", "who5"}}}},
           {"answers",
            object{{"oneOf", array{int_answers, cssrs_answers}},
                   {"description", "Item answers in order; for cssrs, answers by question."}}},
           {"options", Obj({{"phq9_difficulty", object{{"type", "integer"}}},
                            {"sex", Str("auditc cut-off: male | female")},
                            {"auditc_cutoff", object{{"type", "integer"}}},
                            {"trauma_exposure", object{{"type", "boolean"}}},
                            {"pcptsd5_cutoff", object{{"type", "integer"}}},
                            {"daily_heavy_alcohol", object{{"type", "boolean"}}},
                            {"benzodiazepine_use", object{{"type", "boolean"}}},
                            {"past_withdrawal_seizures", object{{"type", "boolean"}}},
                            {"opioid_use", object{{"type", "boolean"}}},
                            {"country", Str("for the crisis lines")},
                            {"language", Str("en | es")}},
                           {})}},
          {"instrument", "answers"});
  object strings{{"type", "array"}, {"items", object{{"type", "string"}}}};
  s["ScoreResult"] =
      Obj({{"instrument", Str()},
           {"instrument_version", object{{"type", "integer"}}},
           {"score", object{{"type", array{"integer", "null"}}}},
           {"band", Str()},
           {"positive", object{{"type", "boolean"}}},
           {"cutoff", object{{"type", "integer"}}},
           {"percent", object{{"type", "integer"}}},
           {"flags", strings},
           {"risk", object{{"type", "string"}, {"enum", array{"none", "low", "moderate", "high"}}}},
           {"suggestions", strings},
           {"next_instrument", Str()},
           {"crisis", object{{"type", "object"},
                             {"properties", object{{"resources", Ref("CrisisResources")}}},
                             {"required", array{"resources"}}}}},
          {"instrument", "instrument_version", "score", "band", "positive", "flags", "risk",
           "suggestions"});
  s["LoginRequest"] =
      Obj({{"email", Str()}, {"password", Str()}, {"totp_code", Str()}}, {"email", "password"});
  s["LoginResponse"] = Obj({{"user", Ref("User")}, {"csrf_token", Str()}}, {"user", "csrf_token"});
  s["User"] = Obj(user_props, user_required);
  s["Me"] = Obj(me_props, user_required);
  s["UserList"] = Obj({{"items", object{{"type", "array"}, {"items", Ref("User")}}},
                       {"next_cursor", object{{"type", array{"string", "null"}}}}},
                      {"items", "next_cursor"});
  s["UserCreate"] = Obj({{"email", Str()}, {"name", Str()}, {"role", role}, {"password", Str()}},
                        {"email", "name", "role", "password"});
  s["UserPatch"] =
      Obj({{"name", Str()}, {"role", role}, {"disabled", object{{"type", "boolean"}}}}, {});
  s["TotpEnrolment"] = Obj({{"secret", Str("Base32 TOTP secret")}, {"otpauth_uri", Str()}},
                           {"secret", "otpauth_uri"});
  s["TotpConfirm"] = Obj({{"code", Str()}}, {"code"});
  s["PasswordChange"] = Obj({{"current_password", Str()}, {"new_password", Str()}},
                            {"current_password", "new_password"});
  s["Token"] = Obj(token_props, token_required);
  s["TokenList"] = Obj({{"items", object{{"type", "array"}, {"items", Ref("Token")}}},
                        {"next_cursor", object{{"type", array{"string", "null"}}}}},
                       {"items", "next_cursor"});
  s["TokenCreate"] = Obj({{"name", Str()}}, {"name"});
  s["TokenCreated"] = Obj(created_props, created_required);

  // The front line.
  object nullable_str{{"type", array{"string", "null"}}};
  object integer{{"type", "integer"}};
  object boolean{{"type", "boolean"}};
  s["CaseLinkRequest"] = Obj(
      {{"case_reference", Str()},
       {"relationship", object{{"type", "string"},
                               {"enum", array{"partner", "parent", "child", "sibling", "other"}}}}},
      {"case_reference", "relationship"});
  s["SuggestionList"] = Obj(
      {{"items", object{{"type", "array"},
                        {"items", Obj({{"user_id", uuid},
                                       {"name", Str()},
                                       {"open_cases", integer},
                                       {"score", integer},
                                       {"reasons", strings}},
                                      {"user_id", "name", "open_cases", "score", "reasons"})}}}},
      {"items"});
  s["StaffMember"] = Obj({{"id", uuid},
                          {"name", Str()},
                          {"role", role},
                          {"on_duty", boolean},
                          {"open_cases", integer},
                          {"languages", strings},
                          {"regions", strings}},
                         {"id", "name", "role", "on_duty", "open_cases", "languages", "regions"});
  s["StaffList"] =
      Obj({{"items", object{{"type", "array"}, {"items", Ref("StaffMember")}}}}, {"items"});
  s["StaffProfile"] = Obj({{"languages", strings}, {"regions", strings}}, {"languages", "regions"});
  object shift_props{{"id", uuid},      {"user_id", uuid}, {"user_name", Str()},
                     {"starts_at", ts}, {"ends_at", ts},   {"time_zone", Str()}};
  s["Shift"] =
      Obj(shift_props, {"id", "user_id", "user_name", "starts_at", "ends_at", "time_zone"});
  s["ShiftList"] = Obj({{"items", object{{"type", "array"}, {"items", Ref("Shift")}}}}, {"items"});
  s["ShiftRequest"] = Obj({{"user_id", uuid},
                           {"starts_at", Str("Local wall-clock time, e.g. 2026-11-26T09:00")},
                           {"ends_at", Str("Local wall-clock time")},
                           {"time_zone", Str("IANA time zone")}},
                          {"user_id", "starts_at", "ends_at", "time_zone"});
  s["Duty"] = Obj({{"on_duty", boolean},
                   {"since", nullable_ts},
                   {"on_duty_count", integer},
                   {"shift", object{{"oneOf", array{Ref("Shift"), object{{"type", "null"}}}}}}},
                  {"on_duty", "since", "on_duty_count", "shift"});
  s["DutyChange"] = Obj({{"on_duty", boolean}}, {"on_duty"});
  s["Alert"] = Obj({{"id", uuid},
                    {"case_id", uuid},
                    {"reference", Str()},
                    {"raised_at", ts},
                    {"deadline_at", ts},
                    {"acknowledged_at", nullable_ts},
                    {"acknowledged_by", nullable_str},
                    {"escalated_at", nullable_ts}},
                   {"id", "case_id", "reference", "raised_at", "deadline_at", "acknowledged_at",
                    "acknowledged_by", "escalated_at"});
  s["AlertList"] = Obj({{"items", object{{"type", "array"}, {"items", Ref("Alert")}}}}, {"items"});
  object slot = Obj({{"start", ts}, {"end", ts}}, {"start", "end"});
  s["SupportAvailability"] = Obj({{"open_now", boolean},
                                  {"on_duty_count", integer},
                                  {"slots", object{{"type", "array"}, {"items", slot}}}},
                                 {"open_now", "on_duty_count", "slots"});
  s["SupportRequestCreate"] = Obj(
      {{"preferred_name", Str()},
       {"phone", Str()},
       {"voicemail_ok", boolean},
       {"language", object{{"type", "string"}, {"enum", array{"en", "es"}}}},
       {"country", Str("ISO 3166-1 alpha-2")},
       {"time_zone", Str("IANA time zone")},
       {"case_reference", Str()},
       {"slot_start", object{{"type", "string"}, {"format", "date-time"}}},
       {"email", Str("For the calendar invite")},
       {"privacy_notice_version", Str()}},
      {"preferred_name", "phone", "language", "country", "time_zone", "privacy_notice_version"});
  s["SupportReceipt"] =
      Obj({{"id", uuid},
           {"status", object{{"type", "string"}, {"enum", array{"waiting", "booked"}}}},
           {"open_now", boolean},
           {"slot", object{{"oneOf", array{slot, object{{"type", "null"}}}}}},
           {"calendar_ics", object{{"type", array{"string", "null"}}, {"description", "RFC 5545"}}},
           {"next_step", Str()},
           {"crisis", Obj({{"resources", Ref("CrisisResources")}}, {"resources"})}},
          {"id", "status", "open_now", "slot", "calendar_ics", "next_step"});
  object request_props{
      {"id", uuid},
      {"status",
       object{{"type", "string"}, {"enum", array{"waiting", "booked", "claimed", "closed"}}}},
      {"created_at", ts},
      {"language", Str()},
      {"country", Str()},
      {"time_zone", Str()},
      {"slot_start", nullable_ts},
      {"claimed_by", nullable_str},
      {"claimed_at", nullable_ts},
      {"outcome", nullable_str},
      {"closed_at", nullable_ts}};
  array request_required{"id",         "status",    "created_at", "language",
                         "country",    "time_zone", "slot_start", "claimed_by",
                         "claimed_at", "outcome",   "closed_at"};
  object full_props = request_props;
  full_props["preferred_name"] = nullable_str;
  full_props["phone"] = nullable_str;
  full_props["voicemail_ok"] = boolean;
  full_props["case_reference"] = nullable_str;
  s["SupportRequest"] = Obj(full_props, request_required);
  s["SupportRequestList"] =
      Obj({{"items", object{{"type", "array"}, {"items", Obj(request_props, request_required)}}}},
          {"items"});
  s["Message"] = Obj({{"message", Str()}}, {"message"});
  s["MemberLinkRequest"] =
      Obj({{"email", Str()}, {"language", object{{"type", "string"}, {"enum", array{"en", "es"}}}}},
          {"email"});
  s["MemberSessionRequest"] = Obj({{"token", Str()}}, {"token"});
  s["MemberStatus"] = Obj(
      {{"language", object{{"type", "string"}, {"enum", array{"en", "es"}}}},
       {"cases",
        object{{"type", "array"},
               {"items",
                Obj({{"reference", Str()},
                     {"status", Str()},
                     {"updated_at", ts},
                     {"case_manager", object{{"oneOf", array{Obj({{"name", Str()}}, {"name"}),
                                                             object{{"type", "null"}}}}}},
                     {"plan",
                      object{{"oneOf", array{Ref("MemberPlan"), object{{"type", "null"}}}}}}},
                    {"reference", "status", "updated_at", "case_manager", "plan"})}}},
       {"contact",
        Obj({{"email", Str()}, {"phone", Str()}, {"hours", Str()}}, {"email", "phone", "hours"})},
       {"crisis", Obj({{"resources", Ref("CrisisResources")}}, {"resources"})}},
      {"language", "cases", "contact"});
  s["SupportClose"] = Obj(
      {{"outcome",
        object{{"type", "string"},
               {"enum", array{"talked", "no_answer", "voicemail", "crisis_referral", "other"}}}},
       {"note", Str()}},
      {"outcome"});
  // The directory kept by people: the console and the provider portal.
  {
    object openings =
        Obj({{"count", object{{"type", "integer"}, {"minimum", 0}}},
             {"stale", boolean},
             {"last_confirmed_at", nullable_ts},
             {"available",
              object{{"type", array{"integer", "null"}},
                     {"description", "The count last given, counted or not (null: never given)"}}}},
            {"count", "stale", "last_confirmed_at", "available"});
    object need = Obj(
        {{"reason", object{{"type", "string"},
                           {"enum", array{"licence_expired", "licence_expiring", "unverified"}}}},
         {"due_at", ts},
         {"detail", Str()}},
        {"reason", "due_at", "detail"});
    object summary_props{{"id", uuid},
                         {"name", Str()},
                         {"status", Str("HSDS service status: active, inactive, defunct, ...")},
                         {"organization_id", Str()},
                         {"organization_name", nullable_str},
                         {"version", integer},
                         {"openings", openings},
                         {"verified_at", nullable_ts},
                         {"needs", object{{"type", "array"}, {"items", need}}}};
    array summary_required{
        "id",       "name",        "status", "organization_id", "organization_name", "version",
        "openings", "verified_at", "needs"};
    s["DirectoryServiceSummary"] = Obj(summary_props, summary_required);
    object change =
        Obj({{"seq", integer},
             {"at", ts},
             {"actor_id", Str()},
             {"actor_role", Str()},
             {"action", object{{"type", "string"},
                               {"enum", array{"edit", "verify", "openings", "listing", "import"}}}},
             {"resource", Str()},
             {"record_id", Str()},
             {"field", Str()},
             {"before", object{{"description", "JSON value, null when none"}}},
             {"after", object{{"description", "JSON value, null when removed"}}}},
            {"seq", "at", "actor_id", "actor_role", "action", "resource", "record_id", "field",
             "before", "after"});
    object detail_props = summary_props;
    detail_props["service"] = Ref("HsdsObject");
    detail_props["editable"] = strings;
    detail_props["history"] = object{{"type", "array"}, {"items", change}};
    array detail_required = summary_required;
    for (const char* f : {"service", "editable", "history"}) detail_required.push_back(value(f));
    s["DirectoryServiceDetail"] = Obj(detail_props, detail_required);
    s["DirectoryServicePage"] =
        Obj({{"total", integer},
             {"page", integer},
             {"per_page", integer},
             {"services", object{{"type", "array"}, {"items", Ref("DirectoryServiceSummary")}}}},
            {"total", "page", "per_page", "services"});
    s["DirectoryServicePatch"] =
        object{{"type", "object"},
               {"description",
                "Service fields to change (see `editable` of the detail); null removes one."},
               {"minProperties", 1}};
    object figures;
    array figure_names;
    for (const char* f : {"services", "verified_30_days", "verified_90_days", "licences_expiring",
                          "licences_expired", "silent", "openings_counted"}) {
      figures[f] = object{{"type", "integer"}, {"minimum", 0}};
      figure_names.push_back(value(f));
    }
    object queue_item = Obj({{"service_id", uuid},
                             {"service_name", Str()},
                             {"reason", need["properties"].as_object()["reason"]},
                             {"due_at", ts},
                             {"detail", Str()}},
                            {"service_id", "service_name", "reason", "due_at", "detail"});
    s["DirectoryFreshness"] =
        Obj({{"at", ts},
             {"openings_window_days", integer},
             {"summary", Obj(figures, figure_names)},
             {"queue", object{{"type", "array"}, {"items", queue_item}}},
             {"queue_total", integer}},
            {"at", "openings_window_days", "summary", "queue", "queue_total"});
    s["HsdsUpload"] =
        object{{"description",
                "An HSDS file: a JSON document (object, array, Page or tabular) or NDJSON lines; "
                "with format=csv, a JSON object of file name to file text"}};
    object counts{{"type", "object"},
                  {"additionalProperties",
                   Obj({{"added", integer}, {"updated", integer}, {"unchanged", integer}},
                       {"added", "updated", "unchanged"})}};
    object issue =
        Obj({{"severity", object{{"type", "string"}, {"enum", array{"error", "warning"}}}},
             {"where", Str("file:line or JSON pointer")},
             {"resource", Str()},
             {"id", Str()},
             {"field", Str()},
             {"message", Str()}},
            {"severity", "where", "resource", "id", "field", "message"});
    object report =
        Obj({{"imported", boolean},
             {"records", integer},
             {"counts", counts},
             {"issues", object{{"type", "array"}, {"items", issue}}},
             {"issues_total", integer},
             {"dangling_total", integer},
             {"held", object{{"type", "integer"},
                             {"description", "Listings kept paused or removed despite the data"}}}},
            {"imported", "records", "counts", "issues", "issues_total", "dangling_total", "held"});
    object nullable_report = report;
    nullable_report["type"] = array{"object", "null"};
    s["DirectoryImport"] =
        Obj({{"id", uuid},
             {"state",
              object{{"type", "string"}, {"enum", array{"queued", "running", "done", "failed"}}}},
             {"name", Str()},
             {"dry_run", boolean},
             {"strict", boolean},
             {"bytes_total", integer},
             {"bytes_read", integer},
             {"records", integer},
             {"started_at", ts},
             {"finished_at", nullable_ts},
             {"error", nullable_str},
             {"report", nullable_report}},
            {"id", "state", "name", "dry_run", "strict", "bytes_total", "bytes_read", "records",
             "started_at", "finished_at", "error", "report"});
    s["ProviderLink"] =
        Obj({{"user_id", uuid}, {"organization_id", Str()}, {"organization_name", nullable_str}},
            {"user_id", "organization_id", "organization_name"});
    s["ProviderLinkRequest"] = Obj({{"organization_id", Str()}}, {"organization_id"});
    s["ProviderServiceList"] =
        Obj({{"services", object{{"type", "array"}, {"items", Ref("DirectoryServiceSummary")}}}},
            {"services"});
    s["OpeningsConfirm"] =
        Obj({{"available", object{{"type", "integer"}, {"minimum", 0}, {"maximum", 1000}}}},
            {"available"});
    s["ListingState"] =
        Obj({{"state", object{{"type", "string"}, {"enum", array{"listed", "paused", "removed"}}}}},
            {"state"});
    s["CheckinRedeem"] =
        Obj({{"token", Str("From the mailed link's fragment (#t=...)")},
             {"available",
              object{{"type", "integer"},
                     {"minimum", 0},
                     {"maximum", 1000},
                     {"description", "Optional: a new count; default the one last confirmed"}}}},
            {"token"});
    object note{{"type", array{"string", "null"}}, {"maxLength", 2000}};
    s["PrivateNotesRequest"] =
        Obj({{"staff_contact", note}, {"waitlist_note", note}}, {"staff_contact", "waitlist_note"});
    s["PrivateNotes"] =
        Obj({{"staff_contact", note},
             {"waitlist_note", note},
             {"version", integer},
             {"updated_at", nullable_ts},
             {"updated_by_role", nullable_str}},
            {"staff_contact", "waitlist_note", "version", "updated_at", "updated_by_role"});
    s["CheckinResult"] =
        Obj({{"service_id", uuid}, {"service_name", Str()}, {"openings", openings}},
            {"service_id", "service_name", "openings"});
  }
  // The HSDS API (/hsds): HSDS 3.1's own shapes. Items are HSDS objects, described by the
  // official schemas (https://github.com/openreferral/specification, schema/), so they are
  // left open here.
  s["HsdsBase"] =
      Obj({{"version", Str("The HSDS version served: 3.1")},
           {"profile", object{{"type", "string"},
                              {"format", "uri"},
                              {"description", "The HSDS profile this API follows"}}},
           {"openapi_url", object{{"type", "string"},
                                  {"format", "uri"},
                                  {"description", "The OpenAPI document of this HSDS API"}}}},
          {"version", "profile", "openapi_url"});
  s["HsdsObject"] =
      object{{"type", "object"},
             {"description", "An HSDS 3.1 object (service, organization, ...), nested"},
             {"properties", object{{"id", object{{"type", "string"}, {"format", "uuid"}}}}},
             {"required", array{"id"}}};
  s["HsdsPage"] = Obj(
      {{"total_items", object{{"type", "integer"}, {"minimum", 0}, {"description", "Matches"}}},
       {"total_pages", object{{"type", "integer"}, {"minimum", 0}, {"description", "0 if none"}}},
       {"page_number", object{{"type", "integer"}, {"minimum", 1}}},
       {"size", object{{"type", "integer"}, {"minimum", 0}, {"description", "Items in this page"}}},
       {"first_page", boolean},
       {"last_page", boolean},
       {"empty", object{{"type", "boolean"}, {"description", "This page has no items"}}},
       {"contents", object{{"type", "array"}, {"items", Ref("HsdsObject")}}}},
      {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
       "contents"});
  // Matching (docs/matching.md).
  {
    object date{{"type", "string"}, {"format", "date"}};
    object cents{{"type", "integer"}, {"minimum", 0}};
    object nullable_cents{{"type", array{"integer", "null"}}};
    auto point_props = [&](object props) {
      props["latitude"] = object{{"type", "number"}, {"minimum", -90}, {"maximum", 90}};
      props["longitude"] = object{{"type", "number"}, {"minimum", -180}, {"maximum", 180}};
      return props;
    };
    object insurance = Obj(
        {{"carrier", Str()},
         {"plan", Str()},
         {"plan_type", object{{"type", "string"},
                              {"enum", array{"unknown", "employer", "marketplace", "medicaid",
                                             "medicare", "union", "uninsured"}}}},
         {"network",
          object{{"type", "string"}, {"enum", array{"unknown", "hmo", "epo", "ppo", "pos"}}}},
         {"deductible_remaining_cents", cents},
         {"copay_cents", cents},
         {"copay_before_deductible", boolean},
         {"coinsurance_bp", object{{"type", "integer"}, {"minimum", 0}, {"maximum", 10000}}},
         {"out_of_pocket_remaining_cents", cents},
         {"oon_deductible_remaining_cents", cents},
         {"oon_coinsurance_bp", object{{"type", "integer"}, {"minimum", 0}, {"maximum", 10000}}},
         {"oon_out_of_pocket_remaining_cents", cents},
         {"oon_allowed_cents", cents}},
        {});
    insurance["type"] = array{"object", "null"};
    object weights_props;
    for (const char* w :
         {"tag", "music_industry", "gender", "earliest_opening", "distance", "cost", "coverage"}) {
      weights_props[w] = object{{"type", "integer"}, {"minimum", 0}, {"maximum", 1000}};
    }
    s["MatchQuery"] = Obj(
        {{"care_types", strings},
         {"location", Obj(point_props({{"jurisdiction", Str("ISO 3166-2, e.g. US-NY")}}), {})},
         {"first_session", date},
         {"sessions", object{{"type", "integer"}, {"minimum", 1}, {"maximum", 52}}},
         {"itinerary",
          object{{"type", "array"},
                 {"items", Obj(point_props({{"from", date}, {"to", date}, {"jurisdiction", Str()}}),
                               {"from", "to", "jurisdiction"})}}},
         {"mode", object{{"type", "string"}, {"enum", array{"either", "telehealth", "in_person"}}}},
         {"max_km", object{{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 500}}},
         {"languages", strings},
         {"age", Str("age:adults, ...")},
         {"format", Str("format:individual, ...")},
         {"require_opening", boolean},
         {"insurance", insurance},
         {"budget_cents", cents},
         {"sliding_scale", boolean},
         {"aid_per_session_cents", cents},
         {"prefer", Obj({{"tags", strings}, {"music_industry", boolean}, {"gender", Str()}}, {})},
         {"weights", Obj(weights_props, {})},
         {"limit", object{{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}},
        {});
    object reason = Obj({{"code", Str()}, {"value", Str()}, {"detail", Str()}, {"points", integer}},
                        {"code", "value"});
    object reasons{{"type", "array"}, {"items", reason}};
    object cost =
        Obj({{"low_cents", integer},
             {"high_cents", nullable_cents},
             {"after_aid_low_cents", integer},
             {"after_aid_high_cents", nullable_cents},
             {"currency", Str()},
             {"complete", boolean},
             {"fee_unknown", boolean},
             {"steps",
              object{{"type", "array"},
                     {"items",
                      Obj({{"name", Str()}, {"low_cents", integer}, {"high_cents", nullable_cents}},
                          {"name", "low_cents", "high_cents"})}}},
             {"used", strings},
             {"unknown", strings},
             {"assumed", strings}},
            {"low_cents", "high_cents", "after_aid_low_cents", "after_aid_high_cents", "currency",
             "complete", "fee_unknown", "steps", "used", "unknown", "assumed"});
    object match =
        Obj({{"service_id", Str()},
             {"name", Str()},
             {"organization_id", Str()},
             {"score", integer},
             {"telehealth", boolean},
             {"distance_km", object{{"type", array{"number", "null"}}}},
             {"met", reasons},
             {"preferences", reasons},
             {"cost_basis", object{{"type", "string"},
                                   {"enum", array{"in_network", "out_of_network", "self_pay",
                                                  "sliding_scale", "free"}}}},
             {"cost", cost},
             {"dates",
              object{{"type", "array"},
                     {"items", Obj({{"date", date}, {"jurisdiction", Str()}, {"covered", boolean}},
                                   {"date", "jurisdiction", "covered"})}}}},
            {"service_id", "name", "organization_id", "score", "telehealth", "distance_km", "met",
             "preferences", "cost_basis", "cost", "dates"});
    object answer_props{
        {"items", object{{"type", "array"}, {"items", match}}},
        {"eligible", integer},
        {"eligible_at_least", boolean},
        {"relaxations", object{{"type", "array"},
                               {"items", Obj({{"constraint", Str()},
                                              {"change", Str()},
                                              {"results", integer},
                                              {"at_least", boolean}},
                                             {"constraint", "change", "results", "at_least"})}}},
        {"snapshot_version", integer}};
    array answer_required{"items", "eligible", "eligible_at_least", "relaxations",
                          "snapshot_version"};
    s["MatchAnswer"] = Obj(answer_props, answer_required);
    object case_props = answer_props;
    case_props["query"] = Ref("MatchQuery");
    case_props["profile_version"] =
        object{{"type", "integer"},
               {"minimum", 0},
               {"description", "The case's care profile version the query started from (0: none)"}};
    array case_required = answer_required;
    case_required.push_back("query");
    case_required.push_back("profile_version");
    s["CaseMatches"] = Obj(case_props, case_required);
    // The case's care profile (matching/care_profile.h): MatchQuery's fields less the ones
    // chosen for each search; a null budget clears the one the case's facts gave.
    object profile_props = s.at("MatchQuery").at("properties").as_object();
    for (std::string_view name : matching::kSearchOnlyFields) profile_props.erase(name);
    profile_props["budget_cents"] = object{{"type", array{"integer", "null"}}, {"minimum", 0}};
    object profile = Obj(profile_props, {});
    profile["description"] =
        "The person's facts every match of the case starts from, in MatchQuery's form. "
        "first_session, sessions, limit, require_opening and weights are chosen for each "
        "search and refused here (400 not_a_profile_field).";
    s["CareProfileWrite"] = Obj({{"profile", profile}}, {"profile"});
    s["CareProfile"] =
        Obj({{"case_id", uuid},
             {"version",
              object{{"type", "integer"}, {"minimum", 0}, {"description", "0: nothing saved yet"}}},
             {"profile", profile},
             {"saved_by", nullable_str},
             {"saved_at", nullable_ts}},
            {"case_id", "version", "profile", "saved_by", "saved_at"});
    s["FinderAnswer"] = Obj({{"providers", Ref("MatchAnswer")}, {"resources", Ref("MatchAnswer")}},
                            {"providers", "resources"});
  }
  // Care plans (domain/care_plans).
  {
    object cents{{"type", "integer"}, {"minimum", 0}};
    object goal_in = Obj({{"id", Str()}, {"text", Str()}}, {"text"});
    object goal_out = Obj({{"id", Str()}, {"text", Str()}}, {"id", "text"});
    object cost =
        Obj({{"low_cents", cents},
             {"high_cents",  // null: no upper bound is known
              object{{"type", array{"integer", "null"}}, {"minimum", 0}}},
             {"basis", object{{"type", "string"},
                              {"enum", array{"in_network", "out_of_network", "self_pay",
                                             "sliding_scale", "free", "covered", "other"}}}},
             {"per", object{{"type", "string"}, {"enum", array{"session", "month", "once"}}}}},
            {"low_cents", "high_cents", "basis"});
    object nullable_cost{{"oneOf", array{cost, object{{"type", "null"}}}}};
    object kind{{"type", "string"},
                {"enum", array{"provider", "resource", "event", "financial_aid"}}};
    object status{{"type", "string"},
                  {"enum", array{"proposed", "agreed", "in_progress", "done", "declined"}}};
    object item_props{{"id", Str()},
                      {"kind", kind},
                      {"status", status},
                      {"title", Str()},
                      {"service_id", Str("A directory listing's id, or empty")},
                      {"goal_id", Str()},
                      {"starts_on", Str("YYYY-MM-DD or empty")},
                      {"sessions", object{{"type", "integer"}, {"minimum", 0}}},
                      {"cost", nullable_cost},
                      {"fund_reference", Str("The funds application or award paying for it")},
                      {"notes", Str("For staff only")},
                      {"for_member", Str("What the member reads about this item")}};
    s["CarePlanRequest"] =
        Obj({{"goals", object{{"type", "array"}, {"items", goal_in}}},
             {"items",
              object{{"type", "array"}, {"items", Obj(item_props, {"kind", "status", "title"})}}}},
            {"goals", "items"});
    array item_required{"id",         "kind",           "status",    "title",
                        "service_id", "goal_id",        "starts_on", "sessions",
                        "cost",       "fund_reference", "for_member"};
    array staff_required = item_required;
    staff_required.push_back("notes");
    object version_info = Obj({{"version", integer},
                               {"author_id", Str()},
                               {"created_at", ts},
                               {"signed_off_at", nullable_ts}},
                              {"version", "author_id", "created_at", "signed_off_at"});
    s["CarePlan"] =
        Obj({{"case_id", Str()},
             {"version", object{{"type", "integer"}, {"minimum", 0}}},
             {"author_id", nullable_str},
             {"created_at", nullable_ts},
             {"signed_off_by", nullable_str},
             {"signed_off_at", nullable_ts},
             {"needs_sign_off", boolean},
             {"goals", object{{"type", "array"}, {"items", goal_out}}},
             {"items", object{{"type", "array"}, {"items", Obj(item_props, staff_required)}}},
             {"versions", object{{"type", "array"}, {"items", version_info}}}},
            {"case_id", "version", "author_id", "created_at", "signed_off_by", "signed_off_at",
             "needs_sign_off", "goals", "items"});
    object member_item_props = item_props;
    member_item_props.erase("notes");
    s["MemberPlan"] = Obj(
        {{"version", integer},
         {"updated_at", ts},
         {"goals", object{{"type", "array"}, {"items", goal_out}}},
         {"items", object{{"type", "array"}, {"items", Obj(member_item_props, item_required)}}}},
        {"version", "updated_at", "goals", "items"});
  }
  // The Good Faith Estimate (domain/coverage/good_faith_estimate.h).
  {
    object cents{{"type", "integer"}, {"minimum", 0}};
    s["GoodFaithEstimateRequest"] =
        Obj({{"service_id", Str()},
             {"sessions", object{{"type", "integer"}, {"minimum", 1}, {"maximum", 52}}},
             {"session_minutes", object{{"type", "integer"}, {"enum", array{30, 45, 60}}}},
             {"first_session_on", object{{"type", "string"}, {"format", "date"}}},
             {"intake_visit", boolean},
             {"session_fee_cents", cents},
             {"intake_fee_cents", cents}},
            {"service_id"});
    object strings_list{{"type", "array"}, {"items", object{{"type", "string"}}}};
    s["GoodFaithEstimate"] = Obj(
        {{"member_reference", Str()},
         {"service_id", Str()},
         {"provider_name", Str()},
         {"issued_on", object{{"type", "string"}, {"format", "date"}}},
         {"first_session_on", object{{"type", "string"}, {"format", "date"}}},
         {"valid_until", object{{"type", "string"}, {"format", "date"}}},
         {"currency", Str()},
         {"services",
          object{{"type", "array"},
                 {"items", Obj({{"cpt", Str()},
                                {"description_key", Str()},
                                {"unit_cents", cents},
                                {"quantity", object{{"type", "integer"}, {"minimum", 1}}}},
                               {"cpt", "description_key", "unit_cents", "quantity"})}}},
         {"total_cents", cents},
         {"notices", strings_list},
         {"missing", strings_list},
         {"assumed", strings_list}},
        {"member_reference", "service_id", "provider_name", "issued_on", "first_session_on",
         "valid_until", "currency", "services", "total_cents", "notices", "missing", "assumed"});
  }
  return s;
}

// The query parameters of the console's directory routes.
void AddDirectoryParameters(const Route& r, array& params) {
  auto query = [&](const char* name, object schema, const char* description) {
    params.push_back(object{{"name", name},
                            {"in", "query"},
                            {"schema", std::move(schema)},
                            {"description", description}});
  };
  if (r.name == "directory.services.list") {
    query("search", object{{"type", "string"}, {"maxLength", 200}},
          "Every word must appear in the name, alternate name or description.");
    query("page", object{{"type", "integer"}, {"minimum", 1}}, "Default 1.");
    query("per_page", object{{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}, "Default 25.");
  }
  if (r.name == "directory.freshness") {
    query("limit", object{{"type", "integer"}, {"minimum", 1}, {"maximum", 500}},
          "Queue items listed (default 50).");
  }
  if (r.name == "directory.imports.create") {
    query("format", object{{"type", "string"}, {"enum", array{"json", "ndjson", "csv"}}},
          "Default: from Content-Type. csv: the body is a JSON object of file name to file "
          "text (datapackage.json and the .csv tables).");
    query("dry_run", object{{"type", "boolean"}}, "Check only: write nothing.");
    query("strict", object{{"type", "boolean"}},
          "Keys to records that exist nowhere are errors, not warnings.");
    query("name", object{{"type", "string"}}, "The file's name, for the report.");
  }
}

// The query parameters of the HSDS API, as HSDS 3.1 names them (the domain decides what
// each means: domain/directory/hsds_api.h).
void AddHsdsParameters(const Route& r, array& params) {
  auto query = [&](const char* name, object schema, const char* description) {
    params.push_back(object{{"name", name},
                            {"in", "query"},
                            {"schema", std::move(schema)},
                            {"description", description}});
  };
  object uuid{{"type", "string"}, {"format", "uuid"}};
  object boolean{{"type", "boolean"}, {"default", false}};
  const std::string& n = r.name;
  if (n == "hsds.organizations.get") {
    query("full_service", boolean, "List the organization's services fully nested.");
  }
  if (!n.ends_with(".list")) return;
  query("search", object{{"type", "string"}, {"maxLength", 200}},
        "Words (at most 10), all of which must appear in the name, alternate name or "
        "description (for service_at_locations: of the service); case-insensitive.");
  query("page", object{{"type", "integer"}, {"minimum", 1}, {"default", 1}},
        "Page number, from 1. A page past the end is empty.");
  query("per_page", object{{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 50}},
        "Items per page.");
  query("format",
        object{{"type", "string"}, {"enum", array{"json", "ndjson"}}, {"default", "json"}},
        "ndjson: every matching item, one JSON object per line, without pagination.");
  query("modified_after", object{{"type", "string"}},
        "Only records changed on or after this RFC 3339 date-time or date (2025-01-31).");
  const bool services = n == "hsds.services.list" || n == "hsds.service_at_locations.list";
  if (services || n == "hsds.organizations.list") {
    query("taxonomy_term_id", uuid, "Only records with an attribute applying this term.");
    query("taxonomy_id", uuid, "Only records with an attribute applying a term of this taxonomy.");
    query("full", boolean, "Items fully nested, as the {id} endpoint returns them.");
  }
  if (services) {
    query("organization_id", uuid, "Only services (or their locations) of this organization.");
  }
  if (n == "hsds.organizations.list") {
    query("full_service", boolean, "With full=true: the services fully nested too.");
  }
  if (n == "hsds.taxonomy_terms.list") {
    query("taxonomy_id", uuid, "Only the terms of this taxonomy.");
  }
  if (n == "hsds.service_at_locations.list") {
    query("postcode", object{{"type", "string"}, {"maxLength", 32}},
          "Only at locations with an address in this postcode (spaces and case ignored).");
    query("proximity", object{{"type", "number"}, {"minimum", 0}},
          "With postcode: only within this many meters of the postcode's centre, which is the "
          "mean position of this directory's locations in that postcode (422 when it has "
          "none).");
  }
}

object ProblemResponse(const char* description) {
  return {{"description", description},
          {"content", object{{"application/problem+json", object{{"schema", Ref("Problem")}}}}}};
}

}  // namespace

value BuildOpenApi(const std::vector<Route>& routes, const std::string& version) {
  object paths;
  for (const auto& r : routes) {
    if (!r.documented) continue;
    object op;
    op["operationId"] = r.name;
    op["summary"] = r.summary;
    std::string tag = r.name.substr(0, r.name.find('.'));
    op["tags"] = array{value(tag)};
    // Who may call it, stated as the route table states it.
    if (r.access == Access::kPublic) {
      op["security"] = array{object{}};
      op["x-roles"] = "public";
    } else if (r.access == Access::kMemberSession) {
      op["security"] = array{object{{"memberCookie", array{}}}};
      op["x-roles"] = "a member with a status link";
    } else {
      op["security"] = array{object{{"sessionCookie", array{}}}, object{{"bearerToken", array{}}}};
      if (r.access == Access::kAuthenticated) {
        op["x-roles"] = "any signed-in account";
      } else {
        array roles;
        for (auto role : r.roles) roles.push_back(value(domain::accounts::RoleName(role)));
        op["x-roles"] = roles;
      }
    }
    op["x-ownership"] = r.ownership == Ownership::kSelf ? "caller's own account only"
                        : r.ownership == Ownership::kAssignedOrQueue
                            ? "supervisors: all; case managers: assigned to them or unassigned"
                            : "none";
    array params;
    static const std::regex kParam("\\{([a-z_]+)\\}");
    const std::string& pattern = r.pattern;
    for (auto it = std::sregex_iterator(pattern.begin(), pattern.end(), kParam);
         it != std::sregex_iterator(); ++it) {
      params.push_back(object{{"name", (*it)[1].str()},
                              {"in", "path"},
                              {"required", true},
                              {"schema", object{{"type", "string"}, {"format", "uuid"}}}});
    }
    if (r.name == "users.list") {
      params.push_back(
          object{{"name", "limit"},
                 {"in", "query"},
                 {"schema", object{{"type", "integer"}, {"minimum", 1}, {"maximum", 200}}}});
      params.push_back(
          object{{"name", "cursor"}, {"in", "query"}, {"schema", object{{"type", "string"}}}});
    }
    // A route that answers 428 without If-Match requires the header: the route table's error
    // list says so once, and the document follows it (a list of names here had missed some).
    if (std::find(r.errors.begin(), r.errors.end(), 428) != r.errors.end()) {
      params.push_back(object{{"name", "If-Match"},
                              {"in", "header"},
                              {"required", true},
                              {"schema", object{{"type", "string"}}},
                              {"description", "The version being edited, e.g. \"3\"."}});
    }
    if (r.name.starts_with("hsds.")) AddHsdsParameters(r, params);
    AddDirectoryParameters(r, params);
    if (r.upload) {
      op["requestBody"] =
          object{{"required", true},
                 {"content", object{{"application/json", object{{"schema", Ref(r.request_schema)}}},
                                    {"application/x-ndjson", object{{"schema", Str()}}}}}};
    } else if (!r.request_schema.empty()) {
      op["requestBody"] = object{
          {"required", true},
          {"content", object{{"application/json", object{{"schema", Ref(r.request_schema)}}}}}};
    }
    object responses;
    std::string ok = std::to_string(r.success_status);
    if (r.response_schema.empty()) {
      responses[ok] = object{{"description", r.success_status == 204 ? "Done" : "OK"}};
      if (r.name == "events.stream") {
        responses[ok] = object{
            {"description",
             "An event stream: `id: <seq>`, `event: <type>`, `data: {seq, type, at, subject, "
             "data}`; ends after a few minutes (the browser reconnects)."},
            {"content",
             object{{"text/event-stream", object{{"schema", object{{"type", "string"}}}}}}}};
      }
      if (r.name == "ops.metrics") {
        responses[ok] = object{
            {"description", "Prometheus text format"},
            {"content", object{{"text/plain", object{{"schema", object{{"type", "string"}}}}}}}};
      }
    } else {
      responses[ok] = object{
          {"description", "OK"},
          {"content", object{{"application/json", object{{"schema", Ref(r.response_schema)}}}}}};
    }
    if (r.response_schema == "HsdsPage") {
      // format=ndjson: every item, one HsdsObject per line, no Page wrapper.
      responses[ok].as_object()["description"] =
          "A Page of HSDS objects; with format=ndjson every matching object, one JSON object "
          "per line (application/x-ndjson), without the Page wrapper.";
      responses[ok].as_object()["content"].as_object()["application/x-ndjson"] = object{};
    }
    if (r.name == "cases.list") {
      params.push_back(
          object{{"name", "status"}, {"in", "query"}, {"schema", object{{"type", "string"}}}});
      params.push_back(
          object{{"name", "urgent"}, {"in", "query"}, {"schema", object{{"type", "boolean"}}}});
      params.push_back(
          object{{"name", "limit"},
                 {"in", "query"},
                 {"schema", object{{"type", "integer"}, {"minimum", 1}, {"maximum", 200}}}});
      params.push_back(
          object{{"name", "cursor"}, {"in", "query"}, {"schema", object{{"type", "string"}}}});
    }
    if (r.name == "events.stream") {
      params.push_back(
          object{{"name", "Last-Event-ID"},
                 {"in", "header"},
                 {"schema", object{{"type", "string"}, {"pattern", "^[0-9]+$"}}},
                 {"description", "The last event seen: the stream resumes after it."}});
      params.push_back(object{{"name", "after"},
                              {"in", "query"},
                              {"schema", object{{"type", "integer"}, {"minimum", 0}}},
                              {"description", "Like Last-Event-ID, for a first connection."}});
    }
    if (r.name == "crisis.get") {
      params.push_back(
          object{{"name", "country"}, {"in", "query"}, {"schema", object{{"type", "string"}}}});
      params.push_back(
          object{{"name", "lang"}, {"in", "query"}, {"schema", object{{"type", "string"}}}});
    }
    auto query = [&](const char* name, object schema, const char* description) {
      params.push_back(object{{"name", name},
                              {"in", "query"},
                              {"schema", std::move(schema)},
                              {"description", description}});
    };
    if (r.name == "shifts.list") {
      query("from", object{{"type", "string"}, {"format", "date-time"}}, "Default: a day ago.");
      query("to", object{{"type", "string"}, {"format", "date-time"}}, "Default: a week ahead.");
    }
    if (r.name == "alerts.list") {
      query("state", object{{"type", "string"}, {"enum", array{"open", "all"}}}, "Default: open.");
    }
    if (r.name == "support.list") {
      query("status",
            object{{"type", "string"}, {"enum", array{"waiting", "booked", "claimed", "closed"}}},
            "Default: every status.");
    }
    if (r.name == "intakes.create" || r.name == "support.create") {
      params.push_back(
          object{{"name", "Idempotency-Key"},
                 {"in", "header"},
                 {"required", true},
                 {"schema", object{{"type", "string"}, {"minLength", 8}, {"maxLength", 128}}},
                 {"description", "One per submission: a retry returns the first answer."}});
    }
    // Last: every parameter above must be in the list before it is copied into the document.
    if (!params.empty()) op["parameters"] = params;
    bool has_query = r.name == "users.list" || r.name == "crisis.get" || r.name == "cases.list" ||
                     r.name == "shifts.list" || r.name == "alerts.list" ||
                     r.name == "support.list" || r.name == "directory.services.list" ||
                     r.name == "directory.freshness";
    if (!r.request_schema.empty() || !params.empty() || has_query) {
      responses["400"] = ProblemResponse("Malformed request or unknown fields");
    }
    if (r.access == Access::kMemberSession) {
      responses["401"] = ProblemResponse("No live member session: open a new status link");
    }
    if (NeedsAccount(r.access)) {
      responses["401"] = ProblemResponse("Not signed in");
      responses["403"] = ProblemResponse("Signed in but not allowed (role, MFA enrolment or CSRF)");
    }
    if (r.pattern.find('{') != std::string::npos) {
      responses["404"] = ProblemResponse("Not found, or not yours");
    }
    if (!r.request_schema.empty()) {
      responses["422"] = ProblemResponse("Valid JSON that breaks a rule");
    }
    if (!NeedsAccount(r.access) && r.rate_limited) {
      responses["429"] = ProblemResponse("Rate limited");
    }
    for (int status : r.errors) {
      static const std::map<int, const char*> kWhy = {
          {401, "Credentials or second factor not accepted"},
          {404, "Not found, or not yours"},
          {409, "Conflicts with the current state"},
          {410, "The link was used already or has expired"},
          {413, "The file is larger than limits.max_upload_bytes"},
          {412, "Someone else changed it first"},
          {422, "Well-formed, but breaks a rule (see detail)"},
          {428, "If-Match missing"},
          {429, "Too many attempts"},
          {503, "Not ready"}};
      auto it = kWhy.find(status);
      responses[std::to_string(status)] = ProblemResponse(it == kWhy.end() ? "Error" : it->second);
    }
    if (r.name != "ops.healthz" && r.name != "ops.metrics" && r.name != "ops.openapi" &&
        r.name != "hsds.base" && r.name != "hsds.openapi") {
      responses["503"] = ProblemResponse("The database is unreachable; nothing was changed");
    }
    responses["500"] = ProblemResponse("Internal error");
    op["responses"] = responses;

    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    auto& path_item = paths[r.pattern];
    if (!path_item.is_object()) path_item = object{};
    path_item.as_object()[method] = op;
  }
  object doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = object{{"title", "Soundcheck API"},
                       {"version", version},
                       {"description",
                        "Care navigation for the people who power live music. "
                        "Conventions: docs/api.md. Errors are RFC 9457 problem+json."},
                       {"license", object{{"name", "Apache-2.0"}, {"identifier", "Apache-2.0"}}}};
  doc["servers"] = array{object{{"url", "/"}}};
  doc["paths"] = paths;
  doc["components"] = object{
      {"schemas", Schemas()},
      {"securitySchemes",
       object{
           {"sessionCookie", object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "sc_session"}}},
           {"memberCookie", object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "sc_member"}}},
           {"bearerToken", object{{"type", "http"}, {"scheme", "bearer"}}}}}};
  return doc;
}

value BuildHsdsOpenApi(const std::vector<Route>& routes, const std::string& version) {
  std::vector<Route> hsds;
  for (const auto& r : routes) {
    if (r.pattern == "/hsds" || r.pattern.starts_with("/hsds/")) hsds.push_back(r);
  }
  value doc = BuildOpenApi(hsds, version);
  auto& o = doc.as_object();
  o["info"].as_object()["title"] = "Soundcheck HSDS API";
  o["info"].as_object()["description"] =
      "Soundcheck's provider directory as Open Referral's Human Services Data Specification "
      "3.1: public, read-only, rate-limited. Human Services Data Specification: an Open "
      "Referral resource (https://openreferral.org/), CC BY-SA 4.0.";
  // Only the schemas these routes use (a Problem may carry crisis lines).
  object& schemas = o["components"].as_object()["schemas"].as_object();
  object kept;
  for (const char* name : {"Problem", "CrisisResources", "HsdsBase", "HsdsPage", "HsdsObject"}) {
    if (auto* s = schemas.if_contains(name)) kept[name] = *s;
  }
  schemas = std::move(kept);
  o["components"].as_object().erase("securitySchemes");  // every route here is public
  return doc;
}

}  // namespace soundcheck::http
