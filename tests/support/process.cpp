#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

extern char** environ;

namespace soundcheck::testing {
namespace {

std::vector<std::string> EnvWith(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string s(*e);
    auto eq = s.find('=');
    if (eq != std::string::npos && extra.count(s.substr(0, eq))) continue;
    env.push_back(s);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

// fork+exec with stdin/stdout/stderr pipes as requested. Returns the pid.
int Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
          int* in_fd, int* out_fd) {
  int in_pipe[2], out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) return -1;
  std::vector<std::string> envs = EnvWith(env);
  int pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(out_pipe[1], 2);
    close(in_pipe[1]);
    close(out_pipe[0]);
    std::vector<char*> argv;
    std::string bin = SoundcheckBinary();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : envs) envp.push_back(e.data());
    envp.push_back(nullptr);
    execve(bin.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  *in_fd = in_pipe[1];
  *out_fd = out_pipe[0];
  return pid;
}

}  // namespace

std::string SoundcheckBinary() { return SC_BINARY_PATH; }

ServerProcess::ServerProcess(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env,
                             const std::string& log_file) {
  std::vector<std::string> full = {"serve", "--listen", "127.0.0.1:0"};
  full.insert(full.end(), args.begin(), args.end());
  int in_fd = -1;
  pid_ = Spawn(full, env, &in_fd, &out_fd_);
  close(in_fd);
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
    auto at = seen.find("listening on http://127.0.0.1:");
    if (at != std::string::npos) {
      auto start = at + std::strlen("listening on http://127.0.0.1:");
      auto end = seen.find('\n', start);
      if (end != std::string::npos) {
        port_ = std::stoi(seen.substr(start, end - start));
        break;
      }
    }
  }
  if (!port_) error_ = "server did not start; it printed:\n" + seen;
  // Keep draining output in the background so the child never blocks on a full pipe.
  int fd = out_fd_;
  int log_fd = log_file.empty() ? -1 : open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log_fd >= 0) (void)!write(log_fd, seen.data(), seen.size());
  drain_ = std::thread([fd, log_fd] {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
      if (log_fd >= 0) (void)!write(log_fd, buf, static_cast<size_t>(n));
    }
    if (log_fd >= 0) close(log_fd);
  });
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGKILL, 5000);
  if (drain_.joinable()) drain_.join();
}

int ServerProcess::Stop(int sig, int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (drain_.joinable()) drain_.join();  // all output is in the log now
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (drain_.joinable()) drain_.join();
  return -2;  // did not exit in time
}

int RunSoundcheck(const std::vector<std::string>& args, const std::string& input,
                  std::string* output, const std::map<std::string, std::string>& env) {
  int in_fd = -1, out_fd = -1;
  int pid = Spawn(args, env, &in_fd, &out_fd);
  if (!input.empty()) (void)!write(in_fd, input.data(), input.size());
  close(in_fd);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(out_fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(out_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace soundcheck::testing
