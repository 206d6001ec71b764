// The crisis footer the server writes into every page it serves (ux.md: crisis help is
// never more than one tap away, in the server's HTML, working without scripts).
#pragma once

#include <string>

#include "domain/crisis/crisis_directory.h"
#include "http/message.h"

namespace soundcheck::http {

// The marker in web/index.html that the footer replaces.
inline constexpr std::string_view kCrisisMarker = "<!--sc:crisis-->";

// HTML for the footer: the person's country's lines and emergency number, in their language.
// Every value is HTML-escaped.
std::string RenderCrisisFooter(const domain::crisis::CrisisResources& resources);

// Which country and language a page request is for: ?country=XX (else the default), and
// Spanish for /es/... paths, ?lang=es, or an Accept-Language that starts with "es".
std::string PageCountry(const Request& request);
std::string PageLanguage(const Request& request);

}  // namespace soundcheck::http
