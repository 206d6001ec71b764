#include "tests/support/synthetic_directory.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "domain/directory/synthetic.h"

namespace soundcheck::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string SyntheticDirectory(int providers, const std::string& today) {
  namespace dir = domain::directory;
  namespace json = boost::json;
  auto vocabulary =
      dir::Vocabulary::Parse(ReadFile(SC_SOURCE_DIR "/data/directory/vocabulary.json"));
  auto cities = dir::ParseZone1970(ReadFile("/usr/share/zoneinfo/zone1970.tab"));
  EXPECT_TRUE(vocabulary.has_value() && cities.has_value());
  json::object doc;
  auto st = dir::GenerateDirectory({providers, 1, today}, *vocabulary, dir::RankCities(*cities),
                                   [&](dir::Record r) -> core::Status {
                                     auto& list = doc[r.resource];
                                     if (list.is_null()) list = json::array();
                                     list.as_array().push_back(std::move(r.fields));
                                     return core::Ok();
                                   });
  EXPECT_TRUE(st);
  return json::serialize(doc);
}

}  // namespace soundcheck::testing
