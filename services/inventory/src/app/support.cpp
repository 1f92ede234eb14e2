#include "app/support.hpp"

namespace inventory::app {

void throw_invalid(const std::vector<domain::FieldProblem>& problems) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : problems)
        list.push_back({{"field", p.field}, {"problem", p.problem}});
    const std::string first = problems.empty()
                                  ? "invalid request"
                                  : problems.front().field + ": " + problems.front().problem;
    throw AppError(ErrorKind::invalid, "validation_failed", first, {{"problems", list}});
}

void throw_rule(ErrorKind kind, const domain::RuleError& error, nlohmann::json details) {
    throw AppError(kind, error.code, error.message, std::move(details));
}

void throw_not_found(const std::string& what, const std::string& id) {
    throw AppError(ErrorKind::not_found, what + "_not_found", "no " + what + " with id " + id,
                   {{"id", id}});
}

std::string iso(const std::string& column, const std::string& alias) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS " +
           alias;
}

nlohmann::json nullable(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json nullable(const std::optional<std::int64_t>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace inventory::app
