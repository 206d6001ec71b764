// Serves the built web console from a directory. Hashed assets under /assets/ are cached
// for a year (immutable); everything else revalidates. Unknown paths that look like app
// routes (no file extension) get index.html, so a deep link reloads into the app.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "http/message.h"

namespace soundcheck::http {

// The response for GET/HEAD `request` from `web_dir`, or nullopt when nothing matches.
// Never serves files outside `web_dir` (no "..", no symlinks out). In index.html the
// marker `<!--sc:crisis-->` is replaced by `render_marker(request)` when it is given.
std::optional<Response> ServeStatic(
    const std::string& web_dir, const Request& request,
    const std::function<std::string(const Request&)>& render_marker = nullptr);

}  // namespace soundcheck::http
