// The server's configuration: one tree of plain structs, filled from defaults, then a JSON
// file (--config), then SOUNDCHECK_* environment variables, then command-line flags — later
// sources win. Every key is declared once in config.cpp's key table, which drives all four
// sources and `soundcheck config check`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace soundcheck::config {

struct Limits {
  int max_header_bytes = 16 * 1024;
  int max_body_bytes = 1024 * 1024;
  int max_upload_bytes = 64 * 1024 * 1024;  // routes that take a file (directory imports)
  int max_connections = 10000;
  int read_timeout_seconds = 30;  // a whole request must arrive within this
  int idle_timeout_seconds = 75;  // keep-alive connections idle longer than this are closed
  int shutdown_grace_seconds = 20;
  int public_requests_per_minute = 300;  // per client address, on public routes
};

struct Sessions {
  int idle_minutes = 30;
  int absolute_hours = 12;
};

struct Passwords {
  int argon2_ops = 3;
  int argon2_mem_mib = 64;
  int max_concurrent_hashes = 2;
  std::string common_list_file;  // empty: data/common-passwords.txt beside the binary/source
};

// Outgoing mail (the outbox's delivery job). Empty smtp_url: mail is queued, not sent.
struct Mail {
  std::string smtp_url;  // smtp://HOST[:PORT] or smtps://HOST[:PORT]
  std::string from;      // "Soundcheck <noreply@example.org>"; required with smtp_url
  std::string username;  // empty: no SMTP AUTH
  std::string password;  // secret: `config check` shows ***
  int max_attempts = 8;  // tries before a message is marked failed
  bool starttls = true;  // with smtp://, require STARTTLS (never send in the clear)
};

// Urgent-case alerts and the jobs that keep the front line moving.
struct Alerts {
  int ack_deadline_seconds = 300;  // nobody acknowledged by then: supervisors are alerted
  int job_interval_seconds = 5;    // how often the escalation job looks
};

// The provider directory's upkeep (docs/directory.md).
struct Directory {
  int openings_window_days = 14;         // openings not confirmed for longer stop counting
  int checkin_interval_days = 7;         // "still taking clients?" at most this often per listing
  int reminder_interval_seconds = 3600;  // how often the reminder job looks
};

struct Config {
  std::string db;  // "sqlite:PATH" | "postgres://…"; empty: <data_dir>/soundcheck.db
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./soundcheck-data";
  std::string master_key_file;  // empty: <data_dir>/master.key (created on first run)
  std::string web_dir;          // empty: web/ beside the binary
  std::string public_url;       // where members and staff reach us, for links in mail;
                                // empty: http://<listen>
  std::string log_level = "info";
  int threads = 0;  // 0: one per core
  int db_pool_size = 8;
  Limits limits;
  Sessions sessions;
  Passwords passwords;
  Mail mail;
  Alerts alerts;
  Directory directory;

  // Derived helpers (apply the "empty means default" rules above).
  std::string EffectiveDb() const;
  std::string EffectiveMasterKeyFile() const;
};

// Splits "HOST:PORT" ("[::1]:8080" allowed). Port 0 asks the OS for a free port.
core::Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen);

// Where configuration comes from; each map is key → raw string value.
struct Sources {
  std::string config_file;                   // JSON; empty: none
  std::map<std::string, std::string> env;    // the process environment (SOUNDCHECK_* used)
  std::map<std::string, std::string> flags;  // dotted keys set on the command line
};

// Builds the effective configuration. Errors (kInvalidArgument) name every unknown key and
// bad value with where it came from, e.g. "config file: unknown key limits.max_bodybytes".
core::Result<Config> Load(const Sources& sources);

// The effective configuration as pretty JSON with secrets (passwords inside a database or
// SMTP URL, mail.password) redacted.
std::string Describe(const Config& config);

// The environment of this process as a map.
std::map<std::string, std::string> ProcessEnvironment();

// Replaces a password in a URL ("postgres://u:secret@h/db" → "postgres://u:***@h/db").
std::string RedactUrl(const std::string& url);

}  // namespace soundcheck::config
