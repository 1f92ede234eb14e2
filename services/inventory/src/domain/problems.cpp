#include "domain/problems.hpp"

namespace inventory::domain {

void fail_invalid(const std::vector<FieldProblem>& problems) {
    auto list = nlohmann::json::array();
    for (const auto& p : problems)
        list.push_back({{"field", p.field}, {"problem", p.problem}});
    const FieldProblem first = problems.empty() ? FieldProblem{"body", "is invalid"} : problems[0];
    throw sales::Failure(sales::Failure::Kind::invalid, "validation_failed",
                         first.field + ": " + first.problem,
                         {{"field", first.field}, {"problem", first.problem}, {"problems", list}});
}

}  // namespace inventory::domain
