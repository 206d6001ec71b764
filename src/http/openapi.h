// The OpenAPI 3.1 document, generated from the one route table so that it cannot drift from
// what the server does: every route with its roles, ownership rule, schemas and errors.
#pragma once

#include <boost/json/value.hpp>
#include <vector>

#include "http/router.h"

namespace soundcheck::http {

boost::json::value BuildOpenApi(const std::vector<Route>& routes, const std::string& version);

// The same for the HSDS API alone (the routes under /hsds), which HSDS's base endpoint
// names as its `openapi_url`.
boost::json::value BuildHsdsOpenApi(const std::vector<Route>& routes, const std::string& version);

}  // namespace soundcheck::http
