// How a message leaves Soundcheck. SmtpSender is the real one; tests use fakes.
#pragma once

#include <string>

#include "mail/message.h"

namespace soundcheck::mail {

struct SendResult {
  enum class Outcome {
    kSent,    // the server accepted the message (250 after DATA)
    kRetry,   // try again later: 4xx, connection or TLS trouble, timeouts, auth failures
    kReject,  // the server refused this message for good (5xx): retrying cannot help
  };
  Outcome outcome = Outcome::kRetry;
  int smtp_code = 0;  // the last SMTP reply code seen; 0 when there was none
  // Short and free of personal data ("smtp 451", "curl 7 couldn't connect"); never the
  // server's reply text, which can repeat the address.
  std::string error;
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Sends one message and says how it went. Never throws. Thread-safe.
  virtual SendResult Send(const OutgoingMessage& message) = 0;
};

}  // namespace soundcheck::mail
