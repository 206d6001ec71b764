// Internet messages (RFC 5322 + MIME) for outgoing mail: headers with RFC 2047 encoded words
// where text is not ASCII, a UTF-8 text/plain body in quoted-printable, and multipart/mixed
// when a file is attached. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "domain/mail/mail_service.h"

namespace soundcheck::mail {

// One message ready for a transport. Built by MailDelivery from an opened outbox row.
struct OutgoingMessage {
  std::string outbox_id;   // for logs and the MIME boundary; never shown to anyone
  std::string message_id;  // "<id@domain>": the same on every retry, so receivers can dedupe
  std::string from;        // "Soundcheck <noreply@example.org>" or a bare address
  std::string to;          // one address
  std::string subject;     // UTF-8, no personal data
  std::string body;        // UTF-8, lines separated by "\n" (or "\r\n")
  std::string language;    // "en" | "es": Content-Language
  core::TimePoint date;    // when the message was enqueued: the same on every retry
  std::optional<domain::mail::Attachment> attachment;
};

// A parsed From: optional display name and the address.
struct Mailbox {
  std::string display_name;
  std::string address;
};

// Parses "Display Name <user@domain>" or "user@domain" (what mail.from holds).
// Errors: kInvalidArgument when there is no valid address (see domain::mail::IsValidAddress).
core::Result<Mailbox> ParseMailbox(std::string_view text);

// "<outbox_id@domain>" with the domain of `from_address`.
std::string MessageIdFor(std::string_view outbox_id, std::string_view from_address);

// The whole message with CRLF line ends, ready for SMTP DATA (the transport dot-stuffs).
// Errors: kInvalidArgument for a malformed From or To (a bug upstream: both were checked).
core::Result<std::string> BuildMessage(const OutgoingMessage& message);

// RFC 5322 date in UTC, e.g. "Tue, 01 Dec 2026 15:00:00 +0000".
std::string FormatDate(core::TimePoint t);

// An unstructured header value (after "Name: "): ASCII text as-is, folded at spaces; other
// text as RFC 2047 "=?UTF-8?B?...?=" words of whole characters, folded between words.
std::string EncodeHeaderText(std::string_view text, size_t name_length);

// Quoted-printable (RFC 2045) with CRLF line ends and lines of at most 76 characters. Line
// breaks in `text` ("\n" or "\r\n") become CRLF; a leading "." or "From " is encoded, so no
// line can end the SMTP data or be mangled by mbox tools.
std::string QuotedPrintable(std::string_view text);

// Base64 in lines of 76 characters, CRLF-terminated.
std::string Base64Lines(std::string_view bytes);

}  // namespace soundcheck::mail
