#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace soundcheck::http {
namespace {

std::string ContentType(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

std::optional<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool IsApiPath(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path.rfind("/hsds", 0) == 0 || path == "/healthz" ||
         path == "/readyz" || path == "/metrics";
}

}  // namespace

std::optional<Response> ServeStatic(
    const std::string& web_dir, const Request& request,
    const std::function<std::string(const Request&)>& render_marker) {
  namespace fs = std::filesystem;
  if (IsApiPath(request.path)) return std::nullopt;
  if (request.path.find("..") != std::string::npos ||
      request.path.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  std::error_code ec;
  fs::path root = fs::canonical(web_dir, ec);
  if (ec) return std::nullopt;
  std::string rel = request.path == "/" ? "index.html" : request.path.substr(1);
  fs::path candidate = fs::weakly_canonical(root / rel, ec);
  bool inside = !ec && candidate.string().rfind(root.string() + "/", 0) == 0;
  bool is_file = inside && fs::is_regular_file(candidate, ec);
  if (!is_file) {
    // An app route (no extension) reloads into the app; a missing asset is a 404.
    if (fs::path(request.path).has_extension()) return std::nullopt;
    candidate = root / "index.html";
  }
  auto body = ReadFile(candidate);
  if (!body) return std::nullopt;
  Response r;
  r.status = 200;
  r.headers.Set("Content-Type", ContentType(candidate.extension().string()));
  if (request.path.rfind("/assets/", 0) == 0) {
    r.headers.Set("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    r.headers.Set("Cache-Control", "no-cache");
  }
  r.headers.Set("Vary", "Accept-Encoding");
  r.body = std::move(*body);
  if (render_marker && candidate.filename() == "index.html") {
    auto at = r.body.find("<!--sc:crisis-->");
    if (at != std::string::npos) r.body.replace(at, 16, render_marker(request));
    r.headers.Set("Vary", "Accept-Language");
  }
  return r;
}

}  // namespace soundcheck::http
