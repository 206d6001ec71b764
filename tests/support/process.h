// Runs the real soundcheck binary as a child process for end-to-end tests.
#pragma once

#include <map>
#include <string>
#include <thread>
#include <vector>

namespace soundcheck::testing {

class ServerProcess {
 public:
  // Starts `soundcheck serve` with `args` (plus --listen 127.0.0.1:0) and waits for its
  // "listening on URL" line. ok() is false (with error()) when it did not come up.
  // With `log_file`, everything the server prints is also appended there.
  ServerProcess(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env = {},
                const std::string& log_file = "");
  ~ServerProcess();

  bool ok() const { return port_ != 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  int pid() const { return pid_; }

  // Sends `sig` and waits for exit; returns the exit status (or 128+signal).
  int Stop(int sig = 15, int timeout_ms = 30000);

 private:
  int pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
  std::string error_;
  std::thread drain_;  // copies the child's output until it exits; joined by Stop()
};

// Runs the soundcheck binary to completion with `input` on stdin. Returns the exit code;
// stdout and stderr go to `output`.
int RunSoundcheck(const std::vector<std::string>& args, const std::string& input,
                  std::string* output, const std::map<std::string, std::string>& env = {});

// The binary under test.
std::string SoundcheckBinary();

}  // namespace soundcheck::testing
