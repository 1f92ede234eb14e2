// The error mapping every route gets (service.route → with_dependency_errors): dependency
// failures become 503, an unhandled unique violation 409, and arithmetic overflow on amounts a
// client supplied a 422 (a client mistake is never a 500).
#include <gtest/gtest.h>

#include <stdexcept>

#include "sales/failure.hpp"
#include "sales/money.hpp"
#include "sales/service.hpp"

namespace {
using sales::Failure;

Failure failure_of(const std::function<void()>& body) {
    const auto handler = sales::service::with_dependency_errors([&](sales::http::Request&) {
        body();
        return sales::http::Response::json(200, nlohmann::json::object());
    });
    sales::http::Request request;
    try {
        handler(request);
    } catch (const Failure& failure) {
        return failure;
    }
    ADD_FAILURE() << "no Failure was thrown";
    return Failure(Failure::Kind::invalid, "none", "none");
}

TEST(RouteErrors, AmountsThatOverflowAre422) {
    // E.g. an area times a unit price, each within its own limit.
    const auto failure = failure_of(
        [] { (void)sales::checked_mul(sales::service::kMaxFen, sales::service::kMaxFen); });
    EXPECT_EQ(failure.kind(), Failure::Kind::rule);
    EXPECT_EQ(failure.code(), "amount_out_of_range");
}

TEST(RouteErrors, DependencyFailuresAre503AndUniqueViolationsAre409) {
    EXPECT_EQ(failure_of([] { throw sales::db::Unavailable("down"); }).kind(),
              Failure::Kind::unavailable);
    EXPECT_EQ(failure_of([] { throw sales::db::RetriesExhausted("busy"); }).code(), "busy");
    EXPECT_EQ(failure_of([] { throw sales::db::UniqueViolation("dup", "x_key"); }).kind(),
              Failure::Kind::conflict);
}

TEST(RouteErrors, DeeplyNestedBodiesAreRefusedBeforeAnyHandler) {
    sales::http::Request request;
    request.body = std::string(65, '[') + std::string(65, ']');
    try {
        request.refuse_deep_nesting();
        ADD_FAILURE() << "65 levels were accepted";
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.kind(), Failure::Kind::invalid);
        EXPECT_EQ(failure.code(), "invalid_json");
    }
    request.body = std::string(64, '[') + std::string(64, ']');
    EXPECT_NO_THROW(request.refuse_deep_nesting());
}

}  // namespace
