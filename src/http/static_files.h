// Serves the built web console from a directory. Hashed assets under /assets/ are cached
// for a year (immutable); everything else revalidates. Unknown paths that look like app
// routes (no file extension) get index.html, so a deep link reloads into the app.
#pragma once

#include <optional>
#include <string>

#include "http/message.h"

namespace soundcheck::http {

// The response for GET/HEAD `request` from `web_dir`, or nullopt when nothing matches.
// Never serves files outside `web_dir` (no "..", no symlinks out).
std::optional<Response> ServeStatic(const std::string& web_dir, const Request& request);

}  // namespace soundcheck::http
