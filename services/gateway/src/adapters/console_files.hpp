#pragma once
// The web console's files (web/dist, built by `npm run build` in web/) at the gateway's root,
// same origin as the API (issue 12): hashed files under /assets/ cached for a year, every other
// file revalidated each time, a path that is no file (a route of the console) answered with
// index.html, and the Content-Security-Policy the console is built to satisfy. A `.gz` beside a
// file is sent instead to clients that accept gzip.
#include <string>

#include "sales/service.hpp"

namespace gateway::adapters {

// `root`: the directory with index.html; when it has none, / answers 503
// "console_unavailable" saying how to build it (the API works regardless).
void add_console_files(sales::service::Service& service, const std::string& root);

// The console's Content-Security-Policy.
extern const char* const kConsoleContentSecurityPolicy;

}  // namespace gateway::adapters
