// A real SMTP server for mail tests: tests/mail/smtp_sink.py (Debian's python3-aiosmtpd) as a
// child process, and what it received, read back from its output directory.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace soundcheck::testing {

class SmtpSink {
 public:
  // Starts the sink writing to `dir` with extra arguments ("--reject-rcpt", "550", ...);
  // `port` 0 lets the OS choose. ok() is false (with error()) when it did not come up.
  SmtpSink(std::string dir, std::vector<std::string> args = {}, int port = 0);
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  bool ok() const { return port_ != 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // Stops the sink (SIGTERM, then waits). Idempotent.
  void Stop();

  // Every message received so far, in arrival order: the JSON summary the sink wrote
  // (decoded by Python's email package) with "raw" added (the DATA as received).
  std::vector<boost::json::object> Received() const;
  // Waits (up to 15 s) until at least `n` messages arrived; returns what arrived.
  std::vector<boost::json::object> Await(size_t n) const;

 private:
  std::string dir_;
  int pid_ = -1;
  int port_ = 0;
  std::string error_;
};

// A string field of a received message ("subject", "text", "to"), or "".
std::string MailField(const boost::json::object& mail, const char* key);

// The interpreter with aiosmtpd: $SC_TEST_PYTHON, else Debian's /usr/bin/python3 (a python3
// earlier on PATH, e.g. from pyenv, usually lacks the Debian package).
std::string SinkPython();

}  // namespace soundcheck::testing
