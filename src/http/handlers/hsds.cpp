// The provider directory as Open Referral's HSDS 3.1 API under /hsds: public, read-only,
// rate-limited, readable from other origins (CORS, in the pipeline). Decode the query,
// ask DirectoryService, encode HSDS's shapes; what the parameters mean, the Page arithmetic,
// postcode and proximity and what is public are domain rules (domain/directory/hsds_api.h).
#include <boost/json.hpp>

#include "core/json_text.h"
#include "core/log.h"
#include "domain/directory/hsds_api.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"

namespace soundcheck::http::handlers {
namespace {

namespace dir = domain::directory;

// Public open data: shared caches may keep it briefly (an import shows within a minute).
constexpr const char* kCacheControl = "public, max-age=60";
// Items per read transaction of an NDJSON stream (fewer when each is fully nested, so one
// batch never holds the connection's thread for long).
constexpr int kNdjsonBatch = 200;
constexpr int kNdjsonFullBatch = 50;

// JSON as HSDS consumers expect to read it (51.5, not 5.15E1).
Response JsonOk(const boost::json::value& body) {
  Response r = Response::Text(200, core::JsonText(body), "application/json");
  r.headers.Set("Cache-Control", kCacheControl);
  return r;
}

boost::json::object PageJson(dir::HsdsPage& page) {
  boost::json::array contents;
  contents.reserve(page.contents.size());
  for (auto& item : page.contents) contents.push_back(std::move(item));
  const auto& p = page.info;
  return {{"total_items", p.total_items},
          {"total_pages", p.total_pages},
          {"page_number", p.page_number},
          {"size", p.size},
          {"first_page", p.first_page},
          {"last_page", p.last_page},
          {"empty", p.empty},
          {"contents", std::move(contents)}};
}

// format=ndjson: every matching item, one JSON object per line, read a batch per
// transaction as the connection takes it, so a large directory is never one string.
class NdjsonStream final : public StreamBody {
 public:
  NdjsonStream(dir::DirectoryService& directory, dir::HsdsCursor cursor)
      : directory_(directory), cursor_(std::move(cursor)) {}

  std::string Next(bool& done) override {
    std::string out;
    if (cursor_.done) {
      finished_ = done = true;
      return out;
    }
    auto batch =
        directory_.NextBatch(cursor_, cursor_.query.full ? kNdjsonFullBatch : kNdjsonBatch);
    if (!batch) {
      // The status line is long gone: end without the final chunk so the client sees a
      // cut-off body, not a short one that looks complete.
      core::log::error("hsds ndjson stream stopped: {}", batch.error().message);
      failed_ = done = true;
      return out;
    }
    for (const auto& item : *batch) {
      core::AppendJson(out, item);
      out += '\n';
    }
    if (cursor_.done) {
      finished_ = done = true;
    } else if (wake_) {
      wake_();  // more to read: come back as soon as this batch is written
    }
    return out;
  }
  void OnReady(std::function<void()> wake) override { wake_ = std::move(wake); }
  // Never due while batches flow; whitespace before the next object keeps the body NDJSON.
  std::string Heartbeat() override { return " "; }
  int heartbeat_seconds() const override { return 15; }
  bool failed() const override { return failed_ || !finished_; }

 private:
  dir::DirectoryService& directory_;
  dir::HsdsCursor cursor_;
  std::function<void()> wake_;
  bool finished_ = false;
  bool failed_ = false;
};

Response List(Services& s, RequestContext& ctx, const char* resource) {
  auto query = dir::ParseHsdsListQuery(resource, ctx.request.QueryParams());
  if (!query) return Problem(query.error(), ctx.request_id);
  if (query->ndjson) {
    auto cursor = s.directory->OpenList(*query);
    if (!cursor) return Problem(cursor.error(), ctx.request_id);
    Response r;
    r.status = 200;
    r.headers.Set("Content-Type", "application/x-ndjson");
    r.headers.Set("Cache-Control", kCacheControl);
    r.stream = std::make_shared<NdjsonStream>(*s.directory, std::move(*cursor));
    return r;
  }
  auto page = s.directory->ListPage(*query);
  if (!page) return Problem(page.error(), ctx.request_id);
  return JsonOk(PageJson(*page));
}

Response Get(Services& s, RequestContext& ctx, const char* resource) {
  auto query = dir::ParseHsdsObjectQuery(resource, ctx.request.QueryParams());
  if (!query) return Problem(query.error(), ctx.request_id);
  auto object = s.directory->PublicObject(resource, ctx.params["id"], *query);
  if (!object) return Problem(object.error(), ctx.request_id);
  if (!*object) {
    return Problem(404, "not-found", "Not found", "This directory has no such public record.",
                   ctx.request_id);
  }
  return JsonOk(**object);
}

}  // namespace

Response HsdsBase(Services& s, RequestContext&) {
  return JsonOk(boost::json::object{{"version", dir::kHsdsVersion},
                                    {"profile", dir::kHsdsProfileUrl},
                                    {"openapi_url", s.public_url + "/hsds/openapi.json"}});
}

Response HsdsServices(Services& s, RequestContext& ctx) { return List(s, ctx, "service"); }
Response HsdsService(Services& s, RequestContext& ctx) { return Get(s, ctx, "service"); }
Response HsdsOrganizations(Services& s, RequestContext& ctx) {
  return List(s, ctx, "organization");
}
Response HsdsOrganization(Services& s, RequestContext& ctx) { return Get(s, ctx, "organization"); }
Response HsdsServiceAtLocations(Services& s, RequestContext& ctx) {
  return List(s, ctx, "service_at_location");
}
Response HsdsServiceAtLocation(Services& s, RequestContext& ctx) {
  return Get(s, ctx, "service_at_location");
}
Response HsdsTaxonomies(Services& s, RequestContext& ctx) { return List(s, ctx, "taxonomy"); }
Response HsdsTaxonomy(Services& s, RequestContext& ctx) { return Get(s, ctx, "taxonomy"); }
Response HsdsTaxonomyTerms(Services& s, RequestContext& ctx) {
  return List(s, ctx, "taxonomy_term");
}
Response HsdsTaxonomyTerm(Services& s, RequestContext& ctx) { return Get(s, ctx, "taxonomy_term"); }

}  // namespace soundcheck::http::handlers
