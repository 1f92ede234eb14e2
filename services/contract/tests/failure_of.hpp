#pragma once
// For domain tests: what a refusal is — "<HTTP status> <code>" of the sales::Failure that `f`
// throws, "none" when it throws nothing.
#include <string>

#include "sales/failure.hpp"

namespace contract::test {

template <class F>
std::string failure_of(F&& f) {
    try {
        f();
    } catch (const sales::Failure& e) {
        return std::to_string(sales::http_status(e.kind())) + " " + e.code();
    }
    return "none";
}

}  // namespace contract::test
