#include "mail/message.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace soundcheck::mail {
namespace {

using core::Error;

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

bool IsPrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// Characters allowed unquoted in a display name (RFC 5322 atext plus spaces).
bool IsAtomText(std::string_view s) {
  for (unsigned char c : s) {
    if (!(std::isalnum(c) || c == ' ' ||
          std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos)) {
      return false;
    }
  }
  return true;
}

// Length of the UTF-8 sequence that starts with `c` (1 for a stray continuation byte).
size_t Utf8Length(unsigned char c) {
  if (c >= 0xf0) return 4;
  if (c >= 0xe0) return 3;
  if (c >= 0xc0) return 2;
  return 1;
}

std::string FormatMailbox(const Mailbox& m) {
  if (m.display_name.empty()) return m.address;
  std::string name;
  if (!IsPrintableAscii(m.display_name)) {
    name = EncodeHeaderText(m.display_name, 6);
  } else if (IsAtomText(m.display_name)) {
    name = m.display_name;
  } else {
    name = "\"";
    for (char c : m.display_name) {
      if (c == '"' || c == '\\') name += '\\';
      name += c;
    }
    name += "\"";
  }
  return name + " <" + m.address + ">";
}

}  // namespace

core::Result<Mailbox> ParseMailbox(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  Mailbox m;
  std::string_view t = trim(text);
  auto lt = t.rfind('<');
  if (lt != std::string_view::npos && !t.empty() && t.back() == '>') {
    m.address = std::string(t.substr(lt + 1, t.size() - lt - 2));
    std::string_view name = trim(t.substr(0, lt));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    for (unsigned char c : name) {
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        return Error::InvalidArgument("the sender's display name has a character not allowed");
      }
    }
    m.display_name = std::string(name);
  } else {
    m.address = std::string(t);
  }
  if (!domain::mail::IsValidAddress(m.address)) {
    return Error::InvalidArgument("not a valid sender address");
  }
  return m;
}

std::string MessageIdFor(std::string_view outbox_id, std::string_view from_address) {
  auto at = from_address.rfind('@');
  std::string_view domain = at == std::string_view::npos ? std::string_view("soundcheck.invalid")
                                                         : from_address.substr(at + 1);
  std::string id = "<";
  id.append(outbox_id).append("@").append(domain).append(">");
  return id;
}

std::string FormatDate(core::TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string EncodeHeaderText(std::string_view text, size_t name_length) {
  // "Name: " already takes name_length + 2 columns of the first line.
  size_t column = name_length + 2;
  std::string out;
  if (IsPrintableAscii(text) && text.find("=?") == std::string_view::npos) {
    // Fold at spaces so lines stay within 78 characters where the words allow.
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find(' ', start + 1);
      if (end == std::string_view::npos) end = text.size();
      std::string_view word = text.substr(start, end - start);
      if (!out.empty() && column + word.size() > 78 && word.front() == ' ') {
        out += "\r\n";
        column = 0;
      }
      out += word;
      column += word.size();
      start = end;
    }
    return out;
  }
  // Encoded words of at most 39 bytes of whole characters: 10 + 52 + 2 = 64 columns each.
  size_t i = 0;
  bool first = true;
  while (i < text.size()) {
    size_t end = i;
    while (end < text.size()) {
      size_t len = Utf8Length(static_cast<unsigned char>(text[end]));
      if (end + len - i > 39) break;
      end += len;
    }
    if (end == i) end = std::min(text.size(), i + 1);  // a malformed sequence: keep going
    if (!first) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    first = false;
    i = end;
  }
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t line_length = 0;
  auto emit = [&](std::string_view token) {
    // A soft line break ("=") keeps every line at 76 characters at most.
    if (line_length + token.size() > 75) {
      out += "=\r\n";
      line_length = 0;
    }
    out += token;
    line_length += token.size();
  };
  auto encoded = [&](unsigned char c) {
    char buf[3] = {'=', kHex[c >> 4], kHex[c & 15]};
    return std::string(buf, 3);
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      bool at_start = i == 0;
      bool at_end = i + 1 == line.size();
      bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
      if (at_start && (c == '.' || (c == 'F' && line.substr(0, 5) == "From "))) literal = false;
      emit(literal ? std::string(1, static_cast<char>(c)) : encoded(c));
    }
    if (nl == std::string_view::npos) break;
    out += "\r\n";
    line_length = 0;
    pos = nl + 1;
  }
  return out;
}

std::string Base64Lines(std::string_view bytes) {
  std::string b64 = Base64(bytes);
  std::string out;
  out.reserve(b64.size() + b64.size() / 38 + 2);
  for (size_t i = 0; i < b64.size(); i += 76) {
    out += b64.substr(i, 76);
    out += "\r\n";
  }
  return out;
}

core::Result<std::string> BuildMessage(const OutgoingMessage& m) {
  SC_ASSIGN_OR_RETURN(Mailbox from, ParseMailbox(m.from));
  if (!domain::mail::IsValidAddress(m.to)) {
    return Error::InvalidArgument("not a valid recipient address");
  }
  if (m.attachment &&
      (!IsPrintableAscii(m.attachment->content_type) || !IsPrintableAscii(m.attachment->filename) ||
       m.attachment->filename.find('"') != std::string::npos)) {
    return Error::InvalidArgument("attachment type or filename not allowed in a header");
  }
  std::string out;
  auto header = [&](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
  };
  header("Date", FormatDate(m.date));
  header("From", FormatMailbox(from));
  header("To", m.to);
  header("Subject", EncodeHeaderText(m.subject, 7));
  header("Message-ID", m.message_id);
  // RFC 3834: this is automated mail, so auto-responders should stay quiet.
  header("Auto-Submitted", "auto-generated");
  if (!m.language.empty() && IsAtomText(m.language)) header("Content-Language", m.language);
  header("MIME-Version", "1.0");

  const std::string text_type = "text/plain; charset=UTF-8";
  if (!m.attachment) {
    header("Content-Type", text_type);
    header("Content-Transfer-Encoding", "quoted-printable");
    out += "\r\n";
    out += QuotedPrintable(m.body);
    out += "\r\n";
    return out;
  }
  // "=_" never occurs in quoted-printable or base64 text, so the boundary cannot collide
  // with a part's content.
  const std::string boundary = "=_sc_" + m.outbox_id;
  header("Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
  out += "\r\nThis is a MIME message.\r\n";
  out += "\r\n--" + boundary + "\r\n";
  header("Content-Type", text_type);
  header("Content-Transfer-Encoding", "quoted-printable");
  out += "\r\n";
  out += QuotedPrintable(m.body);
  out += "\r\n--" + boundary + "\r\n";
  const auto& a = *m.attachment;
  header("Content-Type", a.content_type + "; name=\"" + a.filename + "\"");
  header("Content-Transfer-Encoding", "base64");
  header("Content-Disposition", "attachment; filename=\"" + a.filename + "\"");
  out += "\r\n";
  out += Base64Lines(a.content);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace soundcheck::mail
