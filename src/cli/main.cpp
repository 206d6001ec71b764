// soundcheck: the one binary. Subcommands: serve, migrate, config check, user add,
// token create, audit verify, keys rotate, backup, restore, demo seed.
//
// Exit codes: 0 success, 1 the command failed (message on stderr), 2 bad usage/config.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace soundcheck::cli;
  CLI::App cli{"Soundcheck: care navigation for the people who power live music."};
  cli.require_subcommand(1);
  cli.set_help_all_flag("--help-all", "Show help for every command");
  Commands commands;
  commands.Register(cli);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  return commands.exit_code();
}
