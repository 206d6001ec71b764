#include "config/config.h"

#include <boost/json.hpp>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>

extern char** environ;

namespace soundcheck::config {
namespace {

using core::Error;
using core::Result;
using core::Status;

// One configuration key: its dotted name, how to set it from a string, how to show it.
struct Key {
  std::string name;
  std::function<Status(Config&, const std::string&)> set;
  std::function<boost::json::value(const Config&)> get;
};

Status ParseInt(const std::string& s, int lo, int hi, int& out) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) {
    return Error::InvalidArgument("expected a whole number from " + std::to_string(lo) + " to " +
                                  std::to_string(hi));
  }
  out = v;
  return core::Ok();
}

Key StringKey(std::string name, std::string Config::*field,
              std::function<Status(const std::string&)> check = nullptr) {
  return {name,
          [field, check](Config& c, const std::string& v) -> Status {
            if (check) SC_RETURN_IF_ERROR(check(v));
            c.*field = v;
            return core::Ok();
          },
          [field](const Config& c) { return boost::json::value(c.*field); }};
}

template <typename Sub>
Key IntKey(std::string name, Sub Config::*sub, int Sub::*field, int lo, int hi) {
  return {name,
          [=](Config& c, const std::string& v) { return ParseInt(v, lo, hi, (c.*sub).*field); },
          [=](const Config& c) { return boost::json::value((c.*sub).*field); }};
}

Key TopIntKey(std::string name, int Config::*field, int lo, int hi) {
  return {name, [=](Config& c, const std::string& v) { return ParseInt(v, lo, hi, c.*field); },
          [=](const Config& c) { return boost::json::value(c.*field); }};
}

template <typename Sub>
Key SubStringKey(std::string name, Sub Config::*sub, std::string Sub::*field,
                 std::function<Status(const std::string&)> check = nullptr) {
  return {name,
          [=](Config& c, const std::string& v) -> Status {
            if (check) SC_RETURN_IF_ERROR(check(v));
            (c.*sub).*field = v;
            return core::Ok();
          },
          [=](const Config& c) { return boost::json::value((c.*sub).*field); }};
}

template <typename Sub>
Key BoolKey(std::string name, Sub Config::*sub, bool Sub::*field) {
  return {name,
          [=](Config& c, const std::string& v) -> Status {
            if (v != "true" && v != "false")
              return Error::InvalidArgument("expected true or false");
            (c.*sub).*field = v == "true";
            return core::Ok();
          },
          [=](const Config& c) { return boost::json::value((c.*sub).*field); }};
}

Status NoLineBreaks(const std::string& v) {
  if (v.find_first_of("\r\n") != std::string::npos) {
    return Error::InvalidArgument("must be one line");
  }
  return core::Ok();
}

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = {
      StringKey("db", &Config::db,
                [](const std::string& v) -> Status {
                  if (v.empty() || v.rfind("sqlite:", 0) == 0 || v.rfind("postgres://", 0) == 0 ||
                      v.rfind("postgresql://", 0) == 0) {
                    return core::Ok();
                  }
                  return Error::InvalidArgument(
                      "expected sqlite:PATH or postgres://USER@HOST:PORT/DB");
                }),
      StringKey("listen", &Config::listen,
                [](const std::string& v) -> Status {
                  auto r = ParseListen(v);
                  if (!r) return std::move(r).error();
                  return core::Ok();
                }),
      StringKey("data_dir", &Config::data_dir,
                [](const std::string& v) -> Status {
                  if (v.empty()) return Error::InvalidArgument("must not be empty");
                  return core::Ok();
                }),
      StringKey("master_key_file", &Config::master_key_file),
      StringKey("web_dir", &Config::web_dir),
      StringKey("public_url", &Config::public_url,
                [](const std::string& v) -> Status {
                  if (v.empty() || v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0) {
                    if (v.find_first_of(" \r\n#?") == std::string::npos) return core::Ok();
                  }
                  return Error::InvalidArgument("expected https://HOST[/PATH] (no query)");
                }),
      StringKey("log_level", &Config::log_level,
                [](const std::string& v) -> Status {
                  if (v == "debug" || v == "info" || v == "warn" || v == "error" || v == "off")
                    return core::Ok();
                  return Error::InvalidArgument("expected debug, info, warn, error or off");
                }),
      TopIntKey("threads", &Config::threads, 0, 256),
      TopIntKey("db_pool_size", &Config::db_pool_size, 1, 256),
      IntKey("limits.max_header_bytes", &Config::limits, &Limits::max_header_bytes, 1024, 1 << 20),
      IntKey("limits.max_body_bytes", &Config::limits, &Limits::max_body_bytes, 1024, 1 << 30),
      IntKey("limits.max_upload_bytes", &Config::limits, &Limits::max_upload_bytes, 1024, 1 << 30),
      IntKey("limits.max_connections", &Config::limits, &Limits::max_connections, 1, 1'000'000),
      IntKey("limits.read_timeout_seconds", &Config::limits, &Limits::read_timeout_seconds, 1,
             3600),
      IntKey("limits.idle_timeout_seconds", &Config::limits, &Limits::idle_timeout_seconds, 1,
             3600),
      IntKey("limits.shutdown_grace_seconds", &Config::limits, &Limits::shutdown_grace_seconds, 0,
             3600),
      IntKey("limits.public_requests_per_minute", &Config::limits,
             &Limits::public_requests_per_minute, 1, 1'000'000),
      IntKey("sessions.idle_minutes", &Config::sessions, &Sessions::idle_minutes, 1, 24 * 60),
      IntKey("sessions.absolute_hours", &Config::sessions, &Sessions::absolute_hours, 1, 24 * 7),
      IntKey("passwords.argon2_ops", &Config::passwords, &Passwords::argon2_ops, 1, 20),
      IntKey("passwords.argon2_mem_mib", &Config::passwords, &Passwords::argon2_mem_mib, 8, 4096),
      IntKey("passwords.max_concurrent_hashes", &Config::passwords,
             &Passwords::max_concurrent_hashes, 1, 64),
      {"passwords.common_list_file",
       [](Config& c, const std::string& v) {
         c.passwords.common_list_file = v;
         return core::Ok();
       },
       [](const Config& c) { return boost::json::value(c.passwords.common_list_file); }},
      SubStringKey("mail.smtp_url", &Config::mail, &Mail::smtp_url,
                   [](const std::string& v) -> Status {
                     if (v.empty() || v.rfind("smtp://", 0) == 0 || v.rfind("smtps://", 0) == 0) {
                       return NoLineBreaks(v);
                     }
                     return Error::InvalidArgument(
                         "expected smtp://HOST:PORT or smtps://HOST:PORT");
                   }),
      SubStringKey(
          "mail.from", &Config::mail, &Mail::from,
          [](const std::string& v) -> Status {
            if (!v.empty() && v.find('@') == std::string::npos) {
              return Error::InvalidArgument(
                  "expected an address: noreply@example.org or Name <noreply@example.org>");
            }
            return NoLineBreaks(v);
          }),
      SubStringKey("mail.username", &Config::mail, &Mail::username, NoLineBreaks),
      SubStringKey("mail.password", &Config::mail, &Mail::password, NoLineBreaks),
      IntKey("mail.max_attempts", &Config::mail, &Mail::max_attempts, 1, 100),
      BoolKey("mail.starttls", &Config::mail, &Mail::starttls),
      IntKey("directory.openings_window_days", &Config::directory, &Directory::openings_window_days,
             1, 365),
      IntKey("directory.checkin_interval_days", &Config::directory,
             &Directory::checkin_interval_days, 1, 365),
      IntKey("directory.reminder_interval_seconds", &Config::directory,
             &Directory::reminder_interval_seconds, 1, 7 * 86400),
      IntKey("alerts.ack_deadline_seconds", &Config::alerts, &Alerts::ack_deadline_seconds, 10,
             24 * 3600),
      IntKey("alerts.job_interval_seconds", &Config::alerts, &Alerts::job_interval_seconds, 1,
             3600),
  };
  return keys;
}

const Key* FindKey(const std::string& name) {
  for (const auto& k : Keys())
    if (k.name == name) return &k;
  return nullptr;
}

// "limits.max_body_bytes" ↔ "SOUNDCHECK_LIMITS_MAX_BODY_BYTES".
std::string EnvName(const std::string& key) {
  std::string out = "SOUNDCHECK_";
  for (char c : key) out += (c == '.') ? '_' : static_cast<char>(std::toupper(c));
  return out;
}

void Flatten(const boost::json::value& v, const std::string& prefix,
             std::vector<std::pair<std::string, const boost::json::value*>>& out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) {
      Flatten(child, prefix.empty() ? std::string(k) : prefix + "." + std::string(k), out);
    }
  } else {
    out.emplace_back(prefix, &v);
  }
}

std::string Scalar(const boost::json::value& v, bool& ok) {
  ok = true;
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  ok = false;
  return {};
}

}  // namespace

std::string Config::EffectiveDb() const {
  return db.empty() ? "sqlite:" + data_dir + "/soundcheck.db" : db;
}

std::string Config::EffectiveMasterKeyFile() const {
  return master_key_file.empty() ? data_dir + "/master.key" : master_key_file;
}

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error::InvalidArgument("expected HOST:PORT");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  auto st = ParseInt(listen.substr(colon + 1), 0, 65535, port);
  if (!st) return Error::InvalidArgument("expected HOST:PORT with a port from 0 to 65535");
  return std::make_pair(host, static_cast<uint16_t>(port));
}

Result<Config> Load(const Sources& sources) {
  Config config;
  std::vector<std::string> problems;
  auto apply = [&](const std::string& where, const std::string& key, const std::string& value) {
    const Key* k = FindKey(key);
    if (!k) {
      problems.push_back(where + ": unknown key " + key);
      return;
    }
    auto st = k->set(config, value);
    if (!st) problems.push_back(where + ": bad value for " + key + ": " + st.error().message);
  };

  if (!sources.config_file.empty()) {
    std::ifstream in(sources.config_file);
    if (!in) return Error::InvalidArgument("cannot read config file " + sources.config_file);
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    auto doc = boost::json::parse(ss.str(), ec);
    if (ec || !doc.is_object()) {
      return Error::InvalidArgument("config file " + sources.config_file + " is not a JSON object");
    }
    std::vector<std::pair<std::string, const boost::json::value*>> flat;
    Flatten(doc, "", flat);
    for (const auto& [key, v] : flat) {
      bool ok = false;
      std::string s = Scalar(*v, ok);
      if (!FindKey(key)) {
        problems.push_back("config file: unknown key " + key);
      } else if (!ok) {
        problems.push_back("config file: bad value for " + key +
                           ": expected a string, number or boolean");
      } else {
        apply("config file", key, s);
      }
    }
  }
  for (const auto& [name, value] : sources.env) {
    if (name.rfind("SOUNDCHECK_", 0) != 0) continue;
    const Key* match = nullptr;
    for (const auto& k : Keys())
      if (EnvName(k.name) == name) match = &k;
    if (!match) {
      problems.push_back("environment: unknown variable " + name);
      continue;
    }
    apply("environment " + name, match->name, value);
  }
  for (const auto& [key, value] : sources.flags) apply("flag", key, value);
  if (!config.mail.smtp_url.empty() && config.mail.from.empty()) {
    problems.push_back("mail.from is required when mail.smtp_url is set");
  }

  if (!problems.empty()) {
    std::string msg = "invalid configuration:";
    for (const auto& p : problems) msg += "\n  " + p;
    return Error::InvalidArgument(msg);
  }
  return config;
}

std::string RedactUrl(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string Describe(const Config& config) {
  boost::json::object root;
  for (const auto& k : Keys()) {
    boost::json::value v = k.get(config);
    if (k.name == "db") v = RedactUrl(config.EffectiveDb());
    if (k.name == "master_key_file") v = config.EffectiveMasterKeyFile();
    if (k.name == "mail.smtp_url") v = RedactUrl(config.mail.smtp_url);
    if (k.name == "mail.password" && !config.mail.password.empty()) v = "***";
    // Nest dotted keys back into objects.
    boost::json::object* obj = &root;
    std::string name = k.name;
    for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.')) {
      auto& child = (*obj)[name.substr(0, dot)];
      if (!child.is_object()) child = boost::json::object();
      obj = &child.as_object();
      name = name.substr(dot + 1);
    }
    (*obj)[name] = v;
  }
  return boost::json::serialize(root);
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string s(*e);
    auto eq = s.find('=');
    if (eq != std::string::npos) env[s.substr(0, eq)] = s.substr(eq + 1);
  }
  return env;
}

}  // namespace soundcheck::config
