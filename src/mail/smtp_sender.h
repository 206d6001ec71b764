// SMTP submission over libcurl: smtp:// (optionally requiring STARTTLS) or smtps://,
// optional AUTH, connect and overall timeouts. One connection per message.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "mail/transport.h"

namespace soundcheck::mail {

struct SmtpOptions {
  // "smtp://host[:port]" or "smtps://host[:port]"; an optional path sets the EHLO name
  // ("smtp://relay.example.org:587/soundcheck.example.org").
  std::string url;
  // With smtp://: require STARTTLS and refuse to send in the clear. Off only for a relay on
  // loopback or a private network. (smtps:// is TLS from the first byte either way.)
  bool starttls = true;
  std::string username;  // empty: no AUTH
  std::string password;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{60'000};  // the whole conversation, per message
};

class SmtpSender final : public MailTransport {
 public:
  // Initialises libcurl once per process (call from the composition root, before threads
  // start sending). Errors: kInvalidArgument for a URL that is not smtp:// or smtps://, or
  // non-positive timeouts. The message never repeats the URL (it may hold a password).
  static core::Result<std::unique_ptr<SmtpSender>> Create(SmtpOptions options);

  // Thread-safe: each call uses its own connection. The envelope sender is the From
  // address; the one recipient is `message.to`.
  SendResult Send(const OutgoingMessage& message) override;

 private:
  explicit SmtpSender(SmtpOptions options) : options_(std::move(options)) {}
  SmtpOptions options_;
};

}  // namespace soundcheck::mail
