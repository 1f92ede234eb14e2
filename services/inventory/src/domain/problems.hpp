#pragma once
// How domain rules report what is wrong. Pure: no I/O.
#include <optional>
#include <string>

namespace inventory::domain {

// Input that breaks a rule, by field (→ HTTP 400 validation_failed).
struct FieldProblem {
    std::string field;
    std::string problem;
};

// A legal request that a rule refuses in the current state, e.g. "master_data_locked" (INV-2);
// the message names the rule and what would make the request acceptable.
struct RuleError {
    std::string code;
    std::string message;
};

}  // namespace inventory::domain
