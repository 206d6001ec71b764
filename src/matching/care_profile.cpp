#include "matching/care_profile.h"

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/json_body.h"
#include "matching/engine.h"
#include "matching/query_json.h"

namespace soundcheck::matching {

namespace json = boost::json;

core::Status ApplyProfile(const json::object& profile, Query& query) {
  // The search-only fields come out before decoding, so each is reported once, as what it
  // is, rather than also as a type error or read into the query.
  json::object kept = profile;
  std::vector<std::string> search_only;
  for (std::string_view name : kSearchOnlyFields) {
    if (kept.erase(name) > 0) search_only.emplace_back(name);
  }
  // Decoded as the "profile" member of a body, so every pointer starts with /profile.
  auto body = core::JsonBody::Of(json::object{{"profile", std::move(kept)}});
  auto fields = body.Object("profile", true);
  if (fields) {
    for (const auto& name : search_only) {
      fields->Reject(name, "not_a_profile_field", "Chosen for each search, not kept on the case.");
    }
    DecodeQuery(*fields, query);
    body.Merge(std::move(*fields));
  }
  return body.Finish();
}

core::Status ValidateProfileQuery(const Query& query) {
  auto st = ValidateQuery(query);
  if (st) return st;
  core::Error error = std::move(st).error();
  for (auto& f : error.fields) f.field = "/profile" + f.field;
  return error;
}

json::object CanonicalProfile(json::object profile) {
  std::vector<std::string> absent;
  for (const auto& [name, value] : profile) {
    if (value.is_null() && name != "insurance" && name != "budget_cents") {
      absent.emplace_back(name);
    }
  }
  for (const auto& name : absent) profile.erase(name);
  return profile;
}

}  // namespace soundcheck::matching
