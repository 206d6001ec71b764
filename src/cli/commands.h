// The subcommands of the soundcheck binary. Each one loads the configuration the same way
// (defaults, --config file, SOUNDCHECK_* environment, flags) and talks to app::App.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>

namespace soundcheck::cli {

class Commands {
 public:
  void Register(CLI::App& cli);
  int exit_code() const { return exit_code_; }

 private:
  // Adds --db, --listen, --data-dir, --master-key-file, --config, --web-dir, --log-level.
  void AddConfigFlags(CLI::App* sub);
  int exit_code_ = 0;
  std::map<std::string, std::string> flags_;
  std::string config_file_;
  // Per-command arguments.
  std::string email_, role_, name_, totp_secret_, file_, new_key_file_;
  bool overwrite_ = false;
};

}  // namespace soundcheck::cli
