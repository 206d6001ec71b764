#include "tests/support/sse_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace soundcheck::testing {

SseClient::SseClient(int port, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd_);
    fd_ = -1;
    return;
  }
  std::string req =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  if (send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) return;
  size_t end;
  while ((end = raw_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(10000)) return;
  }
  std::string head = raw_.substr(0, end);
  raw_.erase(0, end + 4);
  status_ = std::stoi(head.substr(9, 3));
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  auto ct = lower.find("\r\ncontent-type:");
  if (ct != std::string::npos) {
    auto eol = lower.find("\r\n", ct + 2);
    content_type_ = lower.substr(ct + 15, eol - ct - 15);
    content_type_.erase(0, content_type_.find_first_not_of(' '));
  }
}

SseClient::~SseClient() {
  if (fd_ >= 0) close(fd_);
}

bool SseClient::Fill(int timeout_ms) {
  if (fd_ < 0 || ended_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return false;
  char buf[65536];
  ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    ended_ = true;
    return false;
  }
  raw_.append(buf, static_cast<size_t>(n));
  return true;
}

void SseClient::Parse() {
  // De-chunk: "<hex>\r\n<data>\r\n" ... "0\r\n\r\n".
  for (;;) {
    auto eol = raw_.find("\r\n");
    if (eol == std::string::npos) break;
    size_t size = std::stoul(raw_.substr(0, eol), nullptr, 16);
    if (size == 0) {
      ended_ = true;
      raw_.clear();
      break;
    }
    if (raw_.size() < eol + 2 + size + 2) break;
    text_ += raw_.substr(eol + 2, size);
    raw_.erase(0, eol + 2 + size + 2);
  }
  size_t end;
  while ((end = text_.find("\n\n")) != std::string::npos) {
    std::string block = text_.substr(0, end);
    text_.erase(0, end + 2);
    SseEvent e;
    size_t pos = 0;
    while (pos <= block.size()) {
      size_t nl = block.find('\n', pos);
      std::string line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
      if (line.rfind("event: ", 0) == 0) e.type = line.substr(7);
      if (line.rfind("data: ", 0) == 0) e.data += line.substr(6);
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
    if (!e.type.empty()) seen_.push_back(std::move(e));
  }
}

SseEvent SseClient::WaitFor(const std::function<bool(const SseEvent&)>& pred,
                            std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    Parse();
    for (; consumed_ < seen_.size(); ++consumed_) {
      if (pred(seen_[consumed_])) return seen_[consumed_++];
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || ended_) return {};
    Fill(static_cast<int>(left.count()));
  }
}

}  // namespace soundcheck::testing
