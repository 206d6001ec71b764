// JSON text as people expect to read it: boost::json writes 51.5 as "5.15E1", which is
// valid but not what an HSDS consumer or a reviewer wants to see. These writers print
// doubles in their shortest round-trip decimal form ("51.5", "40.7128") and are otherwise
// identical to boost::json::serialize (same string escaping, same key order).
#pragma once

#include <string>

#include <boost/json.hpp>

namespace soundcheck::core {

// Appends `value` as compact JSON to `out`.
void AppendJson(std::string& out, const boost::json::value& value);
std::string JsonText(const boost::json::value& value);
// A number alone, in the same form ("12", "51.5", "-0.25").
std::string NumberText(const boost::json::value& number);

}  // namespace soundcheck::core
