#include "core/json_writer.h"

#include <gtest/gtest.h>

#include <bit>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <random>

namespace soundcheck::core {
namespace {

namespace json = boost::json;

std::string Written(const json::value& v) {
  JsonWriter w;
  w.Value(v);
  return w.Take();
}

TEST(JsonWriter, PlacesCommasInNestedAndEmptyContainers) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a").BeginArray().EndArray();
  w.Key("b").BeginObject().EndObject();
  w.Key("c").BeginArray().Int(1).BeginObject().Key("d").Null().EndObject().BeginArray().EndArray();
  w.Bool(false).EndArray();
  w.Key("e").String("x");
  w.EndObject();
  EXPECT_EQ(w.text(), R"({"a":[],"b":{},"c":[1,{"d":null},[],false],"e":"x"})");
  EXPECT_EQ(w.Take(), R"({"a":[],"b":{},"c":[1,{"d":null},[],false],"e":"x"})");
  EXPECT_EQ(w.text(), "");  // taken: the writer starts again
  w.BeginArray().Int(-1).EndArray();
  EXPECT_EQ(w.Take(), "[-1]");
}

TEST(JsonWriter, GrowsPastItsCapacity) {
  // Long strings of plain bytes and of bytes that all need escaping, from a tiny start.
  std::string plain(100000, 'a');
  std::string controls(30000, '\x01');
  json::array doc;
  for (int i = 0; i < 50; ++i) {
    doc.emplace_back(plain.substr(0, i * 37));
    doc.emplace_back(controls.substr(0, i * 11));
    doc.emplace_back(std::numeric_limits<int64_t>::min());
    doc.emplace_back(-1.2345678901234567e-300);
  }
  doc.emplace_back(plain);
  doc.emplace_back(controls);
  JsonWriter w(1);
  w.Value(doc);
  EXPECT_EQ(w.Take(), json::serialize(doc));
}

TEST(JsonWriter, EscapesEveryByteAsBoostJsonDoes) {
  // Each byte alone, inside plain text, and all of them in one string (UTF-8 and invalid
  // UTF-8 alike pass through unchanged, as boost::json's serializer leaves them).
  std::string all;
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    all += one;
    EXPECT_EQ(Written(json::string(one)), json::serialize(json::string(one))) << "byte " << c;
    const std::string mixed = "ab" + one + "cd" + one;
    EXPECT_EQ(Written(json::string(mixed)), json::serialize(json::string(mixed))) << "byte " << c;
  }
  EXPECT_EQ(Written(json::string(all)), json::serialize(json::string(all)));
  EXPECT_EQ(Written(json::string("")), "\"\"");
  EXPECT_EQ(Written(json::string("Café \"Ñ\" \\ /\n\t\x01")), R"("Café \"Ñ\" \\ /\n\t\u0001")");
}

TEST(JsonWriter, LiteralKeysAreEscapedToo) {
  // Literal names take the inline path; one that needs escaping still gets it.
  JsonWriter w;
  char buffer[16] = "buf";  // an array that is not a literal: its string, not its size
  w.BeginObject().Key("plain").Int(1).Key("a\"b\n").Int(2).Key(buffer).Int(3).Key("").Int(4);
  w.EndObject();
  json::object o;
  o["plain"] = 1;
  o["a\"b\n"] = 2;
  o["buf"] = 3;
  o[""] = 4;
  EXPECT_EQ(w.Take(), json::serialize(o));
}

TEST(JsonWriter, EscapesKeysToo) {
  json::object o;
  o["a\"b\n"] = 1;
  o["é"] = 2;
  EXPECT_EQ(Written(o), json::serialize(o));
}

TEST(JsonWriter, WritesIntegersAsBoostJsonDoes) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{12400}, int64_t{-987654321},
                    std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    EXPECT_EQ(Written(json::value(v)), json::serialize(json::value(v))) << v;
  }
  const uint64_t big = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(Written(json::value(big)), json::serialize(json::value(big)));
}

TEST(JsonWriter, WritesDoublesAsBoostJsonDoes) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double v : {0.0,
                   -0.0,
                   1.0,
                   -1.0,
                   10.0,
                   100.0,
                   40.7,
                   51.5,
                   0.1,
                   1e-7,
                   1e21,
                   123456789.0,
                   -3.25,
                   5e-324,
                   2.2250738585072014e-308,
                   1.7976931348623157e308,
                   1e22,
                   1e23,
                   9007199254740993.0,
                   inf,
                   -inf,
                   std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(Written(json::value(v)), json::serialize(json::value(v))) << v;
  }
  std::mt19937_64 rng(7);
  // Values like the ones answers carry (distances rounded to 0.1 km, coordinates)...
  std::uniform_real_distribution<double> km(0, 600);
  for (int i = 0; i < 20000; ++i) {
    const double v = std::round(km(rng) * 10) / 10;
    ASSERT_EQ(Written(json::value(v)), json::serialize(json::value(v))) << v;
    const double w = km(rng) - 300;
    ASSERT_EQ(Written(json::value(w)), json::serialize(json::value(w))) << w;
  }
  // ...and any finite bit pattern at all.
  for (int i = 0; i < 200000; ++i) {
    const double v = std::bit_cast<double>(rng());
    if (!std::isfinite(v)) continue;
    ASSERT_EQ(Written(json::value(v)), json::serialize(json::value(v))) << v;
  }
}

TEST(JsonWriter, WritesAnyDocumentAsBoostJsonSerializes) {
  const auto doc = json::parse(R"({"items":[{"id":"x","score":-3,"km":12.5,"none":null,
    "ok":true,"no":false,"tags":[],"nested":{"a":[1,[2,[3]],{}],"b":"\u00e9\n"}}],"n":0,
    "big":18446744073709551615,"d":1e300})");
  EXPECT_EQ(Written(doc), json::serialize(doc));
}

}  // namespace
}  // namespace soundcheck::core
