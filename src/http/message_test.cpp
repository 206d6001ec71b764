// Plain request and response values: query parameters decode as Boost.URL decodes a URL's.
#include <gtest/gtest.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "http/message.h"

namespace soundcheck::http {
namespace {

// How QueryParams read a query before it parsed the query alone: as a relative reference.
std::map<std::string, std::string> ViaRelativeRef(const std::string& query) {
  std::map<std::string, std::string> out;
  if (query.empty()) return out;
  const std::string ref = "?" + query;
  auto u = boost::urls::parse_relative_ref(ref);
  if (!u) return out;
  for (auto p : u->params()) out[std::string(p.key)] = std::string(p.value);
  return out;
}

TEST(RequestQueryParams, DecodeAsAUrlsParamsDo) {
  for (const std::string query :
       {"", "jurisdiction=US-NY&care_type=individual-therapy&limit=20", "a+b=c+d", "k=%2B%20x",
        "a=1&a=2", "flag", "=x", "a=", "a=b=c", "&&a=1&&", "q=caf%C3%A9", "bad=%zz", "x=%",
        "sp ace=1", "k=a%26b&l=%3D"}) {
    Request r;
    r.query = query;
    EXPECT_EQ(r.QueryParams(), ViaRelativeRef(query)) << query;
  }
  Request r;
  r.query = "jurisdiction=US-NY&plan=Gold+PPO&carrier=Harmony%20Mutual";
  const auto params = r.QueryParams();
  EXPECT_EQ(params.at("plan"), "Gold PPO");
  EXPECT_EQ(params.at("carrier"), "Harmony Mutual");
}

}  // namespace
}  // namespace soundcheck::http
