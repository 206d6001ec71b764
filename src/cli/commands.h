// The subcommands of the soundcheck binary. Each one loads the configuration the same way
// (defaults, --config file, SOUNDCHECK_* environment, flags) and talks to app::App.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/result.h"

namespace soundcheck::app {
class App;
struct AppOptions;
}  // namespace soundcheck::app

namespace soundcheck::cli {

class Commands {
 public:
  void Register(CLI::App& cli);
  int exit_code() const { return exit_code_; }

 private:
  using OpenApp = std::function<core::Result<std::unique_ptr<app::App>>(const app::AppOptions&)>;
  using RunBody = std::function<std::function<void()>(std::function<core::Status()>)>;
  // import hsds, export hsds (directory_commands.cpp).
  void RegisterDirectory(CLI::App& cli, const OpenApp& open, const RunBody& run);
  // demo generate (directory_commands.cpp).
  void RegisterDemoGenerate(CLI::App* demo, const RunBody& run);
  // Adds --db, --listen, --data-dir, --master-key-file, --config, --web-dir, --log-level.
  void AddConfigFlags(CLI::App* sub);
  int exit_code_ = 0;
  std::map<std::string, std::string> flags_;
  std::string config_file_;
  // Per-command arguments.
  std::string email_, role_, name_, totp_secret_, file_, new_key_file_;
  bool overwrite_ = false;
  std::string type_, format_, out_, today_, organization_;
  bool strict_ = false, dry_run_ = false;
  int64_t providers_ = 1500;
  uint64_t seed_ = 1;
};

}  // namespace soundcheck::cli
