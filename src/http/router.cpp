#include "http/router.h"

namespace soundcheck::http {

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

bool Router::MatchPattern(std::string_view pattern, std::string_view path,
                          std::map<std::string, std::string>& params) {
  size_t pi = 0, si = 0;
  while (pi < pattern.size() && si < path.size()) {
    if (pattern[pi] == '{') {
      size_t close = pattern.find('}', pi);
      std::string name(pattern.substr(pi + 1, close - pi - 1));
      size_t end = path.find('/', si);
      if (end == std::string_view::npos) end = path.size();
      if (end == si) return false;  // empty segment
      params[name] = std::string(path.substr(si, end - si));
      pi = close + 1;
      si = end;
    } else {
      if (pattern[pi] != path[si]) return false;
      ++pi;
      ++si;
    }
  }
  return pi == pattern.size() && si == path.size();
}

Router::Outcome Router::Find(std::string_view method, std::string_view path, Match& match,
                             std::vector<std::string>& allowed) const {
  allowed.clear();
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, params)) continue;
    bool same = r.method == method || (method == "HEAD" && r.method == "GET");
    if (same) {
      match.route = &r;
      match.params = std::move(params);
      return Outcome::kFound;
    }
    allowed.push_back(r.method);
  }
  return allowed.empty() ? Outcome::kNotFound : Outcome::kMethodNotAllowed;
}

}  // namespace soundcheck::http
