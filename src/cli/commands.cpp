#include "cli/commands.h"

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <tuple>

#include "app/app.h"
#include "core/log.h"
#include "core/time_zone.h"
#include "crypto/seal.h"
#include "crypto/totp.h"
#include "domain/keys/key_service.h"
#include "storage/backup.h"

namespace soundcheck::cli {
namespace {

constexpr int kFailed = 1;
constexpr int kUsage = 2;

int Fail(const std::string& what) {
  std::cerr << "soundcheck: " << what << "\n";
  return kFailed;
}

// Reads one line (the password) from stdin without echoing it anywhere.
std::string ReadSecretLine() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string SqlitePath(const std::string& url) {
  return url.rfind("sqlite:", 0) == 0 ? url.substr(7) : std::string();
}

}  // namespace

void Commands::AddConfigFlags(CLI::App* sub) {
  auto flag = [&](const std::string& name, const std::string& key, const std::string& help) {
    sub->add_option_function<std::string>(
        name, [this, key](const std::string& v) { flags_[key] = v; }, help);
  };
  flag("--db", "db", "Database: sqlite:PATH or postgres://USER@HOST:PORT/DB");
  flag("--listen", "listen", "Address to listen on, HOST:PORT (default 127.0.0.1:8080)");
  flag("--data-dir", "data_dir", "Data directory (default ./soundcheck-data)");
  flag("--master-key-file", "master_key_file", "Master key file (default DATA_DIR/master.key)");
  flag("--web-dir", "web_dir", "Built web console to serve (default: web/ beside the binary)");
  flag("--log-level", "log_level", "debug, info, warn, error or off");
  sub->add_option("--config", config_file_, "JSON configuration file");
}

void Commands::Register(CLI::App& cli) {
  // Every command starts the same way: effective config, then the app (or an error).
  auto load = [this]() -> core::Result<config::Config> {
    config::Sources src;
    src.config_file = config_file_;
    src.env = config::ProcessEnvironment();
    src.flags = flags_;
    auto c = config::Load(src);
    if (c) core::log::SetLevel(c->log_level);
    return c;
  };
  auto open = [this, load](app::AppOptions opts) -> core::Result<std::unique_ptr<app::App>> {
    SC_ASSIGN_OR_RETURN(auto c, load());
    return app::App::Open(c, opts);
  };
  // Runs `body`, turning a configuration error into exit 2 and any other error into exit 1.
  auto run = [this](auto body) {
    return [this, body]() {
      core::Status st = body();
      if (!st) {
        exit_code_ = st.error().code == core::ErrorCode::kInvalidArgument ? kUsage : kFailed;
        Fail(st.error().public_detail.empty() ? st.error().message : st.error().public_detail);
      }
    };
  };

  auto* serve = cli.add_subcommand("serve", "Serve the API and the web console");
  AddConfigFlags(serve);
  serve->callback(run([open]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto app, open({}));
    return app->Serve(
        [](const std::string& url) { std::cout << "listening on " << url << std::endl; });
  }));

  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  AddConfigFlags(migrate);
  migrate->callback(run([open]() -> core::Status {
    app::AppOptions o;
    o.migrate = false;
    SC_ASSIGN_OR_RETURN(auto app, open(o));
    SC_RETURN_IF_ERROR(app->Migrate());
    std::cout << "migrations applied\n";
    return core::Ok();
  }));

  auto* config_cmd = cli.add_subcommand("config", "Configuration");
  config_cmd->require_subcommand(1);
  auto* check =
      config_cmd->add_subcommand("check", "Print the effective configuration (secrets redacted)");
  AddConfigFlags(check);
  check->callback(run([load]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto c, load());
    std::cout << config::Describe(c) << "\n";
    return core::Ok();
  }));

  auto* user = cli.add_subcommand("user", "Accounts");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create an account; the password is read from stdin");
  AddConfigFlags(add);
  add->add_option("--email", email_, "Email address")->required();
  add->add_option("--role", role_, "Role")->required();
  add->add_option("--name", name_, "Display name")->required();
  add->add_option("--totp-secret", totp_secret_,
                  "Pre-enrol this base32 TOTP secret (demo and test set-ups only)");
  add->callback(run([this, open]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto app, open({}));
    std::string password = ReadSecretLine();
    auto u = app->accounts().CreateUserAsSystem({email_, name_, role_, password}, totp_secret_);
    if (!u) {
      std::string msg = "could not create the account";
      for (const auto& f : u.error().fields) msg += "\n  " + f.field + ": " + f.message;
      if (u.error().fields.empty() && !u.error().public_detail.empty()) {
        msg += ": " + u.error().public_detail;
      }
      return core::Error::Unprocessable(msg);
    }
    std::cout << "created account " << u->id << " with role " << role_ << "\n";
    return core::Ok();
  }));

  auto* token = cli.add_subcommand("token", "API tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "Create an API token for an account (shown once)");
  AddConfigFlags(create);
  create->add_option("--email", email_, "The account's email")->required();
  create->add_option("--name", name_, "A label for the token")->required();
  create->callback(run([this, open]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto app, open({}));
    SC_ASSIGN_OR_RETURN(auto t, app->accounts().CreateTokenAsSystem(email_, name_));
    std::cout << t.token << "\n";
    return core::Ok();
  }));

  auto* audit = cli.add_subcommand("audit", "The audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Walk the hash chain and report the first break");
  AddConfigFlags(verify);
  verify->callback([this, open]() {
    app::AppOptions o;
    o.create_master_key = false;
    o.migrate = false;
    auto app = open(o);
    if (!app) {
      exit_code_ = Fail(app.error().message);
      return;
    }
    auto report = (*app)->audit().Verify((*app)->runner());
    if (!report) {
      exit_code_ = Fail(report.error().message);
      return;
    }
    if (report->ok) {
      std::cout << "audit chain intact: " << report->entries << " entries\n";
    } else {
      std::cout << "audit chain BROKEN at entry " << *report->first_bad_seq << ": "
                << report->problem << "\n";
      exit_code_ = kFailed;
    }
  });

  auto* keys = cli.add_subcommand("keys", "Encryption keys");
  keys->require_subcommand(1);
  auto* rotate = keys->add_subcommand(
      "rotate",
      "Rewrap every data key under a new master key; the old key file is kept as FILE.old");
  AddConfigFlags(rotate);
  rotate->callback(run([this, open]() -> core::Status {
    app::AppOptions o;
    o.create_master_key = false;
    SC_ASSIGN_OR_RETURN(auto app, open(o));
    std::string path = app->config().EffectiveMasterKeyFile();
    std::string next_path = path + ".new";
    std::filesystem::remove(next_path);
    bool created = false;
    SC_ASSIGN_OR_RETURN(auto next, crypto::LoadOrCreateMasterKeyFile(next_path, true, &created));
    int count = 0;
    SC_RETURN_IF_ERROR(app->runner().Run([&](domain::UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(count, domain::keys::KeyService::Rewrap(uow, app->master_key(), next));
      return core::Ok();
    }));
    // The database now needs the new key: swap the files (old kept until the operator
    // deletes it, so a backup taken before rotation can still be opened).
    std::error_code ec;
    std::filesystem::rename(path, path + ".old", ec);
    if (!ec) std::filesystem::rename(next_path, path, ec);
    if (ec)
      return core::Error::Internal("rewrapped, but could not swap key files: " + ec.message());
    std::cout << "rewrapped " << count << " data keys under master key " << next.id()
              << "; the previous key is at " << path << ".old\n";
    return core::Ok();
  }));

  auto* backup = cli.add_subcommand("backup", "Online backup of the embedded database");
  AddConfigFlags(backup);
  backup->add_option("--to", file_, "Backup file to write")->required();
  backup->callback(run([this, load]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto c, load());
    std::string path = SqlitePath(c.EffectiveDb());
    if (path.empty()) {
      std::cout << "On PostgreSQL, back up with pg_dump; see docs/operations.md:\n"
                   "  pg_dump --format=custom --file=soundcheck.dump \"$SOUNDCHECK_DB\"\n"
                   "  (restore: pg_restore --clean --if-exists --dbname=\"$SOUNDCHECK_DB\" "
                   "soundcheck.dump)\n"
                   "Keep the master key file with, but apart from, the dump.\n";
      return core::Ok();
    }
    SC_RETURN_IF_ERROR(storage::BackupSqlite(path, file_));
    std::cout << "backup written to " << file_ << "\n";
    return core::Ok();
  }));

  auto* restore = cli.add_subcommand("restore", "Restore the embedded database from a backup");
  AddConfigFlags(restore);
  restore->add_option("--from", file_, "Backup file to read")->required();
  restore->add_flag("--overwrite", overwrite_, "Replace an existing database");
  restore->callback(run([this, load]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto c, load());
    std::string path = SqlitePath(c.EffectiveDb());
    if (path.empty())
      return core::Error::InvalidArgument(
          "restore works on the embedded database; use pg_restore for PostgreSQL");
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    SC_RETURN_IF_ERROR(storage::RestoreSqlite(file_, path, overwrite_));
    std::cout << "restored " << path << " from " << file_ << " (integrity check passed)\n";
    return core::Ok();
  }));

  RegisterDirectory(
      cli, [open](const app::AppOptions& o) { return open(o); },
      [run](std::function<core::Status()> body) -> std::function<void()> { return run(body); });

  auto* demo = cli.add_subcommand("demo", "Demo data");
  demo->require_subcommand(1);
  RegisterDemoGenerate(demo, [run](std::function<core::Status()> body) -> std::function<void()> {
    return run(body);
  });
  auto* seed = demo->add_subcommand("seed", "Create DEMO accounts and print their logins");
  AddConfigFlags(seed);
  seed->callback(run([open]() -> core::Status {
    SC_ASSIGN_OR_RETURN(auto app, open({}));
    struct Demo {
      const char* email;
      const char* name;
      const char* role;
    };
    const Demo demos[] = {
        {"admin@demo.soundcheck.invalid", "Demo Admin", "admin"},
        {"supervisor@demo.soundcheck.invalid", "Demo Supervisor", "supervisor"},
        {"casemanager@demo.soundcheck.invalid", "Demo Case Manager", "case_manager"},
        // Linked to a demo practice by scripts/demo once the directory is imported.
        {"provider@demo.soundcheck.invalid", "Demo Provider", "provider"}};
    const std::string password = "demo-only-password-not-for-production";
    // One shared, printed TOTP secret: demo accounts only, never a real installation. It is
    // kept in the data directory so a second `make demo` prints the same one.
    std::string secret_file = app->config().data_dir + "/demo-totp-secret.txt";
    std::string secret;
    std::ifstream(secret_file) >> secret;
    if (secret.empty()) {
      secret = crypto::NewTotpSecret();
      std::ofstream(secret_file) << secret << "\n";
      std::filesystem::permissions(
          secret_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
          std::filesystem::perm_options::replace);
    }
    std::cout << "DEMO ACCOUNTS (fictional; for trying Soundcheck only)\n";
    std::map<std::string, std::string> ids;  // role → user id
    for (const auto& d : demos) {
      auto u = app->accounts().CreateUserAsSystem({d.email, d.name, d.role, password}, secret);
      if (!u && u.error().code != core::ErrorCode::kConflict) return std::move(u).error();
      if (u) ids[d.role] = u->id;
      std::cout << "  " << d.role << ": " << d.email << (u ? "" : " (already existed)") << "\n";
    }
    // A first demo run also gets a rota (09:00–21:00 Central, the coming week) and the
    // case manager's languages and region, so "talk to someone now", booking and
    // assignment suggestions have something to show.
    if (ids.count("supervisor") && ids.count("case_manager")) {
      domain::accounts::Principal system{ids["supervisor"], domain::accounts::Role::kSupervisor};
      domain::accounts::Caller caller{system, "demo-seed"};
      SC_RETURN_IF_ERROR(
          app->staff().SetProfile(caller, ids["case_manager"], {"en", "es"}, {"US-TN", "US"}));
      const int64_t now = core::ToUnixSeconds(std::chrono::system_clock::now());
      for (int day = 0; day < 7; ++day) {
        SC_ASSIGN_OR_RETURN(std::string date,
                            core::UnixToLocal(now + int64_t{day} * 86400, "America/Chicago"));
        date = date.substr(0, 10);
        for (const auto& [role, start, end] : {std::tuple{"case_manager", "09:00", "15:00"},
                                               std::tuple{"supervisor", "15:00", "21:00"}}) {
          auto shift = app->staff().AddShift(
              caller, {ids[role], date + "T" + start, date + "T" + end, "America/Chicago"});
          // Today's early shift may be over already; that one is simply skipped.
          if (!shift && shift.error().code != core::ErrorCode::kUnprocessable) {
            return std::move(shift).error();
          }
        }
      }
      std::cout << "  rota:        09:00–21:00 Central for the coming week (see /rota)\n";
    }
    std::cout << "  password:    " << password << "\n"
              << "  TOTP secret: " << secret << " (add it to an authenticator app, or run\n"
              << "               `oathtool --totp -b " << secret << "` for a code)\n";
    return core::Ok();
  }));
}

}  // namespace soundcheck::cli
