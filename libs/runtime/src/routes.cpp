#include <optional>
#include <stdexcept>
#include <string>

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
        } catch (const std::overflow_error& e) {
            // sales/money.hpp's checked arithmetic: amounts or areas the request supplied are
            // too large to compute with (e.g. an instalment sum beyond int64 fen).
            throw Failure(Failure::Kind::rule, "amount_out_of_range",
                          "the amounts or areas given are too large to compute with",
                          {{"problem", e.what()}});
        } catch (const bus::NatsError& e) {
            log::warn("nats unavailable", {{"error", e.what()}});
            throw Failure(Failure::Kind::unavailable, "dependency_unavailable",
                          "the message bus is not reachable right now; retry shortly");
        }
    };
}

bool is_write(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

namespace {
// Only transactions that changed something (an assigned transaction id) get their row.
constexpr const char* kAppendAuditTrail = R"sql(
INSERT INTO audit_trail (user_id, roles, method, route, path, reason, request_id, remote_address)
SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE pg_current_xact_id_if_assigned() IS NOT NULL)sql";

constexpr std::size_t kMaxReasonBytes = 1000;

// The body's top-level "reason" (corrections, cancellations, rejections), when it has one.
std::optional<std::string> reason_of(const http::Request& request) {
    if (request.body.find("\"reason\"") == std::string::npos)
        return std::nullopt;
    try {
        const auto body = request.json();
        const auto found = body.find("reason");
        if (found == body.end() || !found->is_string())
            return std::nullopt;
        auto reason = found->get<std::string>();
        if (reason.size() > kMaxReasonBytes)
            reason.resize(kMaxReasonBytes);
        return reason;
    } catch (const Failure&) {
        return std::nullopt;
    }
}
}  // namespace

AuditEntry audit_entry_of(const http::Request& request, const Principal& caller,
                          const std::string& route_pattern) {
    std::string roles;
    for (const auto& role : caller.roles)
        roles += (roles.empty() ? "" : ",") + role;
    return {caller.user_id, std::move(roles),   request.method,     route_pattern,
            request.path,   reason_of(request), request.request_id, request.remote_address};
}

void append_audit_trail(db::Tx& tx, const AuditEntry& e) {
    tx.exec(kAppendAuditTrail, {e.user_id, e.roles, e.method, e.route, e.path, db::param(e.reason),
                                e.request_id, e.remote_address});
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
