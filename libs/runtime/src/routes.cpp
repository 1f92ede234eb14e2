#include "sales/auth.hpp"
#include "sales/failure.hpp"
#include "sales/http.hpp"
#include "sales/log.hpp"
#include "sales/service.hpp"

namespace sales::service {

http::Handler with_dependency_errors(http::Handler handler) {
    return [handler = std::move(handler)](http::Request& request) -> http::Response {
        try {
            return handler(request);
        } catch (const db::Unavailable& e) {
            log::warn("database unavailable", {{"error", e.what()}});
            throw Failure(Failure::Kind::unavailable, "dependency_unavailable",
                          "the database is not reachable right now; retry shortly");
        } catch (const db::RetriesExhausted& e) {
            log::warn("transaction conflicts persisted", {{"error", e.what()}});
            throw Failure(Failure::Kind::unavailable, "busy",
                          "too many concurrent changes; retry shortly");
        } catch (const db::UniqueViolation& e) {
            throw Failure(Failure::Kind::conflict, "conflict", "the record already exists",
                          {{"constraint", e.constraint()}});
        } catch (const bus::NatsError& e) {
            log::warn("nats unavailable", {{"error", e.what()}});
            throw Failure(Failure::Kind::unavailable, "dependency_unavailable",
                          "the message bus is not reachable right now; retry shortly");
        }
    };
}

void require_any(const Principal& caller, const std::vector<std::string>& permissions) {
    if (permissions.empty())
        return;
    std::string names;
    for (const auto& permission : permissions) {
        if (auth::allowed(caller, permission))
            return;
        names += (names.empty() ? "" : " or ") + permission;
    }
    throw Failure(Failure::Kind::forbidden, "forbidden", "your roles do not grant " + names,
                  {{"permission", names}});
}

}  // namespace sales::service
