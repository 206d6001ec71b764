// soundcheck: the one binary. Subcommands: serve, migrate, config check, user add,
// token create, audit verify, keys rotate, backup, restore, demo seed.
//
// Exit codes: 0 success, 1 the command failed (message on stderr), 2 bad usage/config.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "cli/commands.h"

#ifdef SC_WITH_MIMALLOC
#include <mimalloc.h>
#endif

int main(int argc, char** argv) {
#ifdef SC_WITH_MIMALLOC
  // A real use of the library, so a linker that drops unused libraries (--as-needed) keeps
  // it: its malloc and free then replace glibc's for the whole process (docs/adr/0010).
  (void)mi_version();
#endif
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
