#include <boost/json.hpp>

#include "http/handlers/handlers.h"
#include "http/metrics.h"
#include "http/problem.h"

namespace soundcheck::http::handlers {

Response Healthz(Services& s, RequestContext& ctx) {
  Response r = Response::Json(200, {{"status", "ok"}, {"version", s.version}});
  return r;
}

Response Readyz(Services& s, RequestContext& ctx) {
  core::Status st = s.ready ? s.ready() : core::Ok();
  if (!st) {
    return Problem(503, "not-ready", "Not ready",
                   "The service is starting or cannot reach its database.", ctx.request_id);
  }
  return Response::Json(200, {{"status", "ready"}});
}

Response MetricsText(Services& s, RequestContext& ctx) {
  return Response::Text(200, s.metrics ? s.metrics->Render() : "",
                        "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace soundcheck::http::handlers
