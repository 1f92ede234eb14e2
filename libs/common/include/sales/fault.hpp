#pragma once
// Fault injection for crash tests: when SALES_FAULT names a point, the process kills itself
// with SIGKILL on reaching it, exactly like `kill -9` at that instant. Unset in production.
#include <string_view>

namespace sales::fault {

// Known points: "relay_after_publish" (events published, not yet marked sent),
// "inbox_after_commit" (handler's transaction committed, message not yet acked).
void point(std::string_view name);

}  // namespace sales::fault
