// RFC 9457 problem+json: the one place where an error becomes an HTTP response.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace soundcheck::http {

inline constexpr std::string_view kProblemBase = "https://soundcheck.dev/problems/";

// The HTTP status for an error code (400, 422, 404, 409, 412, 401, 403, 429, 503, 500).
int StatusFor(core::ErrorCode code);

// Builds the problem response. `type_slug` names the kind (e.g. "totp-required"); empty uses
// the code's default slug. `detail` comes from error.public_detail, else a generic sentence
// for the status — error.message (internal text) is never sent. `instance` is the request id.
Response Problem(const core::Error& error, std::string_view request_id,
                 std::string_view type_slug = {});

// Shorthand for problems raised by the pipeline itself (404, 405, 413, 431, ...).
Response Problem(int status, std::string_view type_slug, std::string_view title,
                 std::string_view detail, std::string_view request_id);

}  // namespace soundcheck::http
