// The one route table.
#pragma once

#include <vector>

#include "http/router.h"
#include "http/services.h"

namespace soundcheck::http {

// Every route of the server. `services` must outlive the returned handlers.
std::vector<Route> BuildRoutes(Services& services);

}  // namespace soundcheck::http
