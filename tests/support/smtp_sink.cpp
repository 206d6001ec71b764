#include "tests/support/smtp_sink.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace soundcheck::testing {
namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string SinkPython() {
  if (const char* p = std::getenv("SC_TEST_PYTHON"); p && *p) return p;
  if (std::filesystem::exists("/usr/bin/python3")) return "/usr/bin/python3";
  return "python3";
}

SmtpSink::SmtpSink(std::string dir, std::vector<std::string> args, int port)
    : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  int out[2];
  if (pipe(out) != 0) {
    error_ = "pipe failed";
    return;
  }
  std::vector<std::string> argv_s = {SinkPython(),
                                     std::string(SC_SOURCE_DIR) + "/tests/mail/smtp_sink.py", dir_,
                                     "--port", std::to_string(port)};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;  // built before fork: the child only calls async-signal-safe code
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], 1);
    close(out[0]);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline && port_ == 0) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
    auto at = seen.find("listening on ");
    auto nl = at == std::string::npos ? at : seen.find('\n', at);
    if (nl != std::string::npos) port_ = std::atoi(seen.c_str() + at + 13);
  }
  close(out[0]);
  if (port_ == 0) {
    error_ = "the SMTP sink did not start (" + SinkPython() +
             " needs Debian's python3-aiosmtpd: scripts/install-deps); it printed: " + seen;
    Stop();
  }
}

SmtpSink::~SmtpSink() { Stop(); }

void SmtpSink::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    usleep(50'000);
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::vector<boost::json::object> SmtpSink::Received() const {
  namespace fs = std::filesystem;
  std::vector<fs::path> emls;
  for (const auto& e : fs::directory_iterator(dir_)) {
    if (e.path().extension() == ".eml") emls.push_back(e.path());
  }
  std::sort(emls.begin(), emls.end());
  std::vector<boost::json::object> out;
  for (const auto& eml : emls) {
    fs::path summary = eml;
    summary.replace_extension(".json");
    boost::json::value v = boost::json::parse(Slurp(summary));
    boost::json::object o = v.as_object();
    o["raw"] = Slurp(eml);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<boost::json::object> SmtpSink::Await(size_t n) const {
  for (int i = 0; i < 300; ++i) {
    auto got = Received();
    if (got.size() >= n) return got;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Received();
}

std::string MailField(const boost::json::object& mail, const char* key) {
  const auto* v = mail.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

}  // namespace soundcheck::testing
