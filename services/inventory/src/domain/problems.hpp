#pragma once
// How domain rules report what is wrong. Pure: no I/O.
// A request that a rule refuses is a sales::Failure (kind and code decided here, e.g.
// "master_data_locked" 409, INV-2); input problems found by a validate() are FieldProblems,
// and fail_invalid is the one place that turns them into a 400 validation_failed.
#include <string>
#include <vector>

#include "sales/failure.hpp"

namespace inventory::domain {

// Input that breaks a rule, by field ("templates[2].floors").
struct FieldProblem {
    std::string field;
    std::string problem;
};

// Throws sales::Failure invalid "validation_failed": the message names the first problem,
// details {field, problem, problems: [{field, problem}, …]} as every request reader does.
[[noreturn]] void fail_invalid(const std::vector<FieldProblem>& problems);

}  // namespace inventory::domain
