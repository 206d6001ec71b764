// Building internet messages: quoted-printable and base64 bodies, RFC 2047 subjects, the
// date, mailboxes, and the single-part and multipart layouts.
#include "mail/message.h"

#include <gtest/gtest.h>

#include <sstream>

namespace soundcheck::mail {
namespace {

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes quoted-printable (test helper; strict about what the encoder may produce).
std::string DecodeQp(std::string_view qp) {
  std::string out;
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] != '=') {
      out += qp[i];
    } else if (qp.substr(i, 3) == "=\r\n") {
      i += 2;  // soft line break
    } else {
      EXPECT_TRUE(i + 2 < qp.size() && Hex(qp[i + 1]) >= 0 && Hex(qp[i + 2]) >= 0);
      out += static_cast<char>(Hex(qp[i + 1]) * 16 + Hex(qp[i + 2]));
      i += 2;
    }
  }
  return out;
}

std::string DecodeBase64(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) continue;  // '=', CR, LF
    acc = (acc << 6) | static_cast<uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find("\r\n", pos);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

void ExpectCrlfOnly(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      EXPECT_TRUE(i > 0 && s[i - 1] == '\r') << "bare LF at " << i;
    }
    if (s[i] == '\r') {
      EXPECT_TRUE(i + 1 < s.size() && s[i + 1] == '\n') << "bare CR at " << i;
    }
  }
}

TEST(MessageTest, QuotedPrintableEncodesWhatIsNotPlainAscii) {
  EXPECT_EQ(QuotedPrintable("Hola, ¿cómo estás?"), "Hola, =C2=BFc=C3=B3mo est=C3=A1s?");
  EXPECT_EQ(QuotedPrintable("a=b"), "a=3Db");
  EXPECT_EQ(QuotedPrintable("trailing space \nnext"), "trailing space=20\r\nnext");
  EXPECT_EQ(QuotedPrintable("line\r\nline\n"), "line\r\nline\r\n");
  EXPECT_EQ(QuotedPrintable(".\nFrom here\nFromage"), "=2E\r\n=46rom here\r\nFromage");
}

TEST(MessageTest, QuotedPrintableKeepsLinesShortAndRoundTrips) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Ñandú café = 100% ";
  text += "\n\nSecond paragraph.\n";
  std::string qp = QuotedPrintable(text);
  ExpectCrlfOnly(qp);
  for (const auto& line : Lines(qp)) EXPECT_LE(line.size(), 76u) << line;
  std::string expected = text;
  std::string crlf;
  for (char c : expected) crlf += (c == '\n') ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(DecodeQp(qp), crlf);
}

TEST(MessageTest, HeaderTextIsEncodedOnlyWhenNeeded) {
  EXPECT_EQ(EncodeHeaderText("Your Soundcheck status link", 7), "Your Soundcheck status link");
  std::string subject = "Tu llamada de apoyo de Soundcheck está reservada — ¡ánimo, señor Ñandú!";
  std::string enc = EncodeHeaderText(subject, 7);
  std::string decoded;
  for (const auto& line : Lines(enc + "\r\n")) {
    std::string word = line;
    if (!word.empty() && word[0] == ' ') word = word.substr(1);
    ASSERT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
    ASSERT_EQ(word.substr(word.size() - 2), "?=");
    EXPECT_LE(word.size(), 75u);
    std::string piece = DecodeBase64(word.substr(10, word.size() - 12));
    // Each word holds whole characters: it never ends inside a multi-byte sequence.
    unsigned char last = static_cast<unsigned char>(piece.back());
    EXPECT_LT(last, 0xc0);
    decoded += piece;
  }
  EXPECT_EQ(decoded, subject);
  // Text that merely looks like an encoded word is encoded, so it reads back literally.
  EXPECT_EQ(EncodeHeaderText("=?x?=", 7).rfind("=?UTF-8?B?", 0), 0u);
  // A line break can never reach a header as-is.
  EXPECT_EQ(EncodeHeaderText("a\r\nBcc: x@example.org", 7).find("\r\nBcc"), std::string::npos);
}

TEST(MessageTest, LongAsciiSubjectsAreFoldedAtSpaces) {
  std::string subject;
  for (int i = 0; i < 20; ++i) subject += "word" + std::to_string(i) + " ";
  subject += "end";
  std::string folded = EncodeHeaderText(subject, 7);
  auto lines = Lines(folded + "\r\n");
  ASSERT_GT(lines.size(), 1u);
  EXPECT_LE(lines[0].size() + 9, 78u);
  std::string unfolded;
  for (const auto& l : lines) unfolded += l;
  EXPECT_EQ(unfolded, subject);
}

TEST(MessageTest, DatesAreRfc5322InUtc) {
  EXPECT_EQ(FormatDate(core::FromUnixSeconds(1'790'000'000)), "Mon, 21 Sep 2026 14:13:20 +0000");
}

TEST(MessageTest, MailboxesParse) {
  auto m = ParseMailbox("Soundcheck <noreply@example.org>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->display_name, "Soundcheck");
  EXPECT_EQ(m->address, "noreply@example.org");
  m = ParseMailbox("  noreply@example.org ");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->display_name, "");
  EXPECT_EQ(m->address, "noreply@example.org");
  m = ParseMailbox("\"Soundcheck, care team\" <care@example.org>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->display_name, "Soundcheck, care team");
  for (const char* bad : {"", "Soundcheck", "Soundcheck <>", "<a@b@example.org>",
                          "Bad\r\nBcc: x@example.org <a@example.org>"}) {
    EXPECT_FALSE(ParseMailbox(bad)) << bad;
  }
  EXPECT_EQ(MessageIdFor("0190-abc", "noreply@mail.example.org"), "<0190-abc@mail.example.org>");
}

OutgoingMessage Sample() {
  OutgoingMessage m;
  m.outbox_id = "01900000-0000-7000-8000-000000000001";
  m.message_id = "<01900000-0000-7000-8000-000000000001@example.org>";
  m.from = "Soundcheck Ayuda <noreply@example.org>";
  m.to = "robin.fictional@example.org";
  m.subject = "Tu enlace de estado de Soundcheck";
  m.body = "Hola, Robin:\n\nEste es tu enlace.\n";
  m.language = "es";
  m.date = core::FromUnixSeconds(1'790'000'000);
  return m;
}

TEST(MessageTest, SinglePartMessage) {
  auto text = BuildMessage(Sample());
  ASSERT_TRUE(text) << text.error().message;
  ExpectCrlfOnly(*text);
  auto head_end = text->find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  std::string head = text->substr(0, head_end + 2);
  EXPECT_NE(head.find("Date: Mon, 21 Sep 2026 14:13:20 +0000\r\n"), std::string::npos);
  EXPECT_NE(head.find("From: Soundcheck Ayuda <noreply@example.org>\r\n"), std::string::npos);
  EXPECT_NE(head.find("To: robin.fictional@example.org\r\n"), std::string::npos);
  EXPECT_NE(head.find("Subject: Tu enlace de estado de Soundcheck\r\n"), std::string::npos);
  EXPECT_NE(head.find("Message-ID: <01900000-0000-7000-8000-000000000001@example.org>\r\n"),
            std::string::npos);
  EXPECT_NE(head.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Language: es\r\n"), std::string::npos);
  EXPECT_NE(head.find("Auto-Submitted: auto-generated\r\n"), std::string::npos);
  EXPECT_EQ(DecodeQp(text->substr(head_end + 4)), "Hola, Robin:\r\n\r\nEste es tu enlace.\r\n\r\n");
}

TEST(MessageTest, AttachmentMakesAMultipartMessage) {
  OutgoingMessage m = Sample();
  std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Llamada de apoyo\r\nEND:VCALENDAR\r\n";
  m.attachment = domain::mail::Attachment{"support-call.ics",
                                          "text/calendar; charset=UTF-8; method=PUBLISH", ics};
  auto text = BuildMessage(m);
  ASSERT_TRUE(text) << text.error().message;
  ExpectCrlfOnly(*text);
  const std::string boundary = "=_sc_" + m.outbox_id;
  EXPECT_NE(text->find("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n"),
            std::string::npos);
  EXPECT_NE(text->find("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\n"),
            std::string::npos);
  EXPECT_NE(text->find("Content-Disposition: attachment; filename=\"support-call.ics\"\r\n"),
            std::string::npos);
  EXPECT_NE(text->find("\r\n--" + boundary + "--\r\n"), std::string::npos);
  auto part = text->find("Content-Transfer-Encoding: base64\r\n");
  ASSERT_NE(part, std::string::npos);
  auto body_start = text->find("\r\n\r\n", part) + 4;
  auto body_end = text->find("--" + boundary + "--", body_start);
  EXPECT_EQ(DecodeBase64(text->substr(body_start, body_end - body_start)), ics);
  for (const auto& line : Lines(*text)) EXPECT_LE(line.size(), 998u);
}

TEST(MessageTest, RefusesHeadersThatCouldBeInjected) {
  OutgoingMessage m = Sample();
  m.to = "robin.fictional@example.org\r\nBcc: other@example.org";
  EXPECT_FALSE(BuildMessage(m));
  m = Sample();
  m.attachment = domain::mail::Attachment{"a.ics", "text/calendar\r\nX: y", "x"};
  EXPECT_FALSE(BuildMessage(m));
}

}  // namespace
}  // namespace soundcheck::mail
