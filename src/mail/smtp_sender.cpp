#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

namespace soundcheck::mail {
namespace {

using core::Error;

struct Upload {
  const std::string* data = nullptr;
  size_t offset = 0;
  bool started = false;  // libcurl asked for the message: DATA was accepted
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  up->started = true;
  size_t room = size * count;
  size_t left = up->data->size() - up->offset;
  size_t n = left < room ? left : room;
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

// Owns what one transfer allocates, so every return path frees it.
struct Transfer {
  CURL* curl = curl_easy_init();
  curl_slist* recipients = nullptr;
  ~Transfer() {
    curl_slist_free_all(recipients);
    if (curl) curl_easy_cleanup(curl);
  }
};

SendResult Retry(int code, std::string error) {
  return {SendResult::Outcome::kRetry, code, std::move(error)};
}

}  // namespace

core::Result<std::unique_ptr<SmtpSender>> SmtpSender::Create(SmtpOptions options) {
  if (options.url.rfind("smtp://", 0) != 0 && options.url.rfind("smtps://", 0) != 0) {
    return Error::InvalidArgument("mail.smtp_url must start with smtp:// or smtps://");
  }
  if (options.connect_timeout.count() <= 0 || options.timeout.count() <= 0) {
    return Error::InvalidArgument("SMTP timeouts must be positive");
  }
  // curl_global_init is not thread-safe on every build: do it once, here, before any Send.
  static std::once_flag once;
  static CURLcode init = CURLE_OK;
  std::call_once(once, [] { init = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init != CURLE_OK) return Error::Internal("curl_global_init failed");
  return std::unique_ptr<SmtpSender>(new SmtpSender(std::move(options)));
}

SendResult SmtpSender::Send(const OutgoingMessage& message) {
  auto from = ParseMailbox(message.from);
  if (!from) return {SendResult::Outcome::kReject, 0, "invalid sender address"};
  auto text = BuildMessage(message);
  if (!text) return {SendResult::Outcome::kReject, 0, "cannot build message"};

  Transfer t;
  if (!t.curl) return Retry(0, "curl_easy_init failed");
  CURL* c = t.curl;
  Upload upload{&*text, 0, false};
  const std::string mail_from = "<" + from->address + ">";
  t.recipients = curl_slist_append(nullptr, ("<" + message.to + ">").c_str());

  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  if (options_.url.rfind("smtp://", 0) == 0) {
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     static_cast<long>(options_.starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, t.recipients);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);

  CURLcode rc = curl_easy_perform(c);
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  const int code = static_cast<int>(reply);
  if (rc == CURLE_OK) return {SendResult::Outcome::kSent, code, ""};

  // Never the error buffer or the server's text: either may repeat an address.
  std::string error = "curl " + std::to_string(static_cast<int>(rc)) + " " + curl_easy_strerror(rc);
  if (code != 0) error = "smtp " + std::to_string(code) + ", " + error;
  // Permanent only when the server refused this message: a 5xx to MAIL FROM, RCPT TO or DATA
  // (libcurl reports CURLE_SEND_ERROR), or to the end of the data. A 5xx to the greeting,
  // AUTH or STARTTLS is about the relay or our settings, not this message: retry, so the
  // mail waits for the operator instead of being dropped.
  bool refused_message =
      rc == CURLE_SEND_ERROR || (rc == CURLE_WEIRD_SERVER_REPLY && upload.started);
  if (code >= 500 && code < 600 && refused_message) {
    return {SendResult::Outcome::kReject, code, error};
  }
  return Retry(code, error);
}

}  // namespace soundcheck::mail
