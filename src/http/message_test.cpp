// Plain request and response values: query parameters decode as Boost.URL decodes a URL's.
#include <gtest/gtest.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <random>

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
  // And on random queries over the characters that matter (escapes, separators, plus, a
  // space and a quote that make a query invalid).
  std::mt19937 rng(20261126);
  const std::string alphabet = "ab%2Fz0=&+ \"9C.-_~!*;:@/?";
  for (int round = 0; round < 20000; ++round) {
    std::string query;
    for (int n = static_cast<int>(rng() % 12); n > 0; --n)
      query += alphabet[rng() % alphabet.size()];
    Request random;
    random.query = query;
    ASSERT_EQ(random.QueryParams(), ViaRelativeRef(query)) << query;
  }
  Request r;
  r.query = "jurisdiction=US-NY&plan=Gold+PPO&carrier=Harmony%20Mutual";
  const auto params = r.QueryParams();
  EXPECT_EQ(params.at("plan"), "Gold PPO");
  EXPECT_EQ(params.at("carrier"), "Harmony Mutual");
}

}  // namespace
}  // namespace soundcheck::http
