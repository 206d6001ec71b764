#include "app/crisis_data.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace soundcheck::app {

using core::Error;
using domain::crisis::CountryLines;
using domain::crisis::CrisisData;
using domain::crisis::CrisisLine;
using domain::crisis::Localized;

namespace {

std::string Str(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Localized Texts(const boost::json::object& o, const char* key) {
  Localized out;
  const auto* v = o.if_contains(key);
  if (!v || !v->is_object()) return out;
  for (const auto& [lang, text] : v->as_object()) {
    if (text.is_string()) out[std::string(lang)] = std::string(text.as_string());
  }
  return out;
}

CountryLines Lines(const boost::json::object& o) {
  CountryLines c;
  c.emergency = Str(o, "emergency");
  if (const auto* lines = o.if_contains("lines"); lines && lines->is_array()) {
    for (const auto& l : lines->as_array()) {
      if (!l.is_object()) continue;
      const auto& lo = l.as_object();
      c.lines.push_back(CrisisLine{Texts(lo, "name"), Texts(lo, "how"), Str(lo, "phone"),
                                   Str(lo, "text"), Str(lo, "url")});
    }
  }
  return c;
}

}  // namespace

core::Result<domain::crisis::CrisisDirectory> LoadCrisisLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::InvalidArgument("cannot read crisis lines file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto doc = boost::json::parse(ss.str(), ec);
  if (ec || !doc.is_object()) {
    return Error::InvalidArgument("crisis lines file " + path + " is not a JSON object");
  }
  const auto& o = doc.as_object();
  CrisisData d;
  if (const auto* v = o.if_contains("version"); v && v->is_int64()) {
    d.version = static_cast<int>(v->as_int64());
  }
  d.source = Str(o, "source");
  d.last_verified = Str(o, "last_verified");
  d.default_country = Str(o, "default_country");
  if (const auto* f = o.if_contains("fallback"); f && f->is_object()) {
    d.fallback = Lines(f->as_object());
    d.fallback_note = Texts(f->as_object(), "note");
  }
  if (const auto* c = o.if_contains("countries"); c && c->is_object()) {
    for (const auto& [code, country] : c->as_object()) {
      if (country.is_object()) d.countries[std::string(code)] = Lines(country.as_object());
    }
  }
  auto dir = domain::crisis::CrisisDirectory::Create(std::move(d));
  if (!dir) return Error::InvalidArgument(path + ": " + dir.error().message);
  return dir;
}

}  // namespace soundcheck::app
