// The payment plan of a contract (INV-3, CON-3): reading it, its total, its invariant.
#include <algorithm>

#include "domain/contract.hpp"
#include "sales/money.hpp"

namespace contract::domain {
namespace {

void problem(std::vector<FieldProblem>& problems, const std::string& field,
             const std::string& what) {
    problems.push_back({field, what});
}

std::optional<std::string> date_field(const nlohmann::json& json, const std::string& field,
                                      const std::string& path, Date today,
                                      std::vector<FieldProblem>& problems) {
    const auto it = json.find(field);
    if (it == json.end() || !it->is_string()) {
        problem(problems, path + field, "must be a calendar date YYYY-MM-DD");
        return std::nullopt;
    }
    const auto date = parse_date(it->get<std::string>());
    if (!date) {
        problem(problems, path + field, "must be a calendar date YYYY-MM-DD");
        return std::nullopt;
    }
    if (*date < today) {
        problem(problems, path + field,
                "must not be before today (" + to_string(today) + " in Asia/Shanghai)");
        return std::nullopt;
    }
    return it->get<std::string>();
}

std::optional<std::int64_t> amount_field(const nlohmann::json& json, const std::string& field,
                                         const std::string& path,
                                         std::vector<FieldProblem>& problems) {
    constexpr std::int64_t kMax = 1'000'000'000'000'000;
    const auto it = json.find(field);
    if (it == json.end() || !it->is_number_integer() || it->get<std::int64_t>() <= 0 ||
        it->get<std::int64_t>() > kMax ||
        (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(kMax))) {
        problem(problems, path + field, "must be a positive integer (fen)");
        return std::nullopt;
    }
    return it->get<std::int64_t>();
}

void only_fields(const nlohmann::json& json, const std::vector<std::string>& allowed,
                 const std::string& path, std::vector<FieldProblem>& problems) {
    for (const auto& [key, value] : json.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            problem(problems, path + key, "is not a known field");
    }
}

}  // namespace

std::optional<Plan> parse_plan(const nlohmann::json& json, Date today,
                               std::vector<FieldProblem>& problems) {
    const auto before = problems.size();
    if (!json.is_object()) {
        problem(problems, "plan", "must be an object with a kind");
        return std::nullopt;
    }
    const auto kind_it = json.find("kind");
    const auto kind = kind_it != json.end() && kind_it->is_string()
                          ? parse_payment_plan(kind_it->get<std::string>())
                          : std::nullopt;
    if (!kind) {
        problem(problems, "plan.kind", "must be one of one_off, instalments, mortgage");
        return std::nullopt;
    }
    Plan plan;
    plan.kind = *kind;
    switch (*kind) {
        case PaymentPlan::one_off: {
            only_fields(json, {"kind", "due_date"}, "plan.", problems);
            if (const auto d = date_field(json, "due_date", "plan.", today, problems))
                plan.due_date = *d;
            break;
        }
        case PaymentPlan::instalments: {
            only_fields(json, {"kind", "instalments"}, "plan.", problems);
            const auto it = json.find("instalments");
            if (it == json.end() || !it->is_array() || it->size() < kMinInstalments ||
                it->size() > kMaxInstalments) {
                problem(problems, "plan.instalments", "must be a list of 2–60 instalments");
                break;
            }
            for (std::size_t i = 0; i < it->size(); ++i) {
                const auto& item = (*it)[i];
                const std::string path = "plan.instalments[" + std::to_string(i) + "].";
                if (!item.is_object()) {
                    problem(problems, path.substr(0, path.size() - 1),
                            "must be an object {due_date, amount_fen}");
                    continue;
                }
                only_fields(item, {"due_date", "amount_fen"}, path, problems);
                const auto d = date_field(item, "due_date", path, today, problems);
                const auto a = amount_field(item, "amount_fen", path, problems);
                if (d && a) {
                    if (!plan.instalments.empty() && *d < plan.instalments.back().due_date)
                        problem(problems, path + "due_date", "must not be before the previous one");
                    plan.instalments.push_back({*d, *a});
                }
            }
            break;
        }
        case PaymentPlan::mortgage: {
            only_fields(json,
                        {"kind", "down_payment_fen", "down_payment_due_date", "loan_fen",
                         "loan_expected_date"},
                        "plan.", problems);
            if (const auto a = amount_field(json, "down_payment_fen", "plan.", problems))
                plan.down_payment_fen = *a;
            if (const auto d = date_field(json, "down_payment_due_date", "plan.", today, problems))
                plan.down_payment_due_date = *d;
            if (const auto a = amount_field(json, "loan_fen", "plan.", problems))
                plan.loan_fen = *a;
            if (const auto d = date_field(json, "loan_expected_date", "plan.", today, problems))
                plan.loan_expected_date = *d;
            break;
        }
    }
    if (problems.size() != before)
        return std::nullopt;
    return plan;
}

nlohmann::json to_json(const Plan& plan) {
    switch (plan.kind) {
        case PaymentPlan::one_off:
            return {{"kind", "one_off"}, {"due_date", plan.due_date}};
        case PaymentPlan::instalments: {
            nlohmann::json items = nlohmann::json::array();
            for (const auto& i : plan.instalments)
                items.push_back({{"due_date", i.due_date}, {"amount_fen", i.amount_fen}});
            return {{"kind", "instalments"}, {"instalments", items}};
        }
        case PaymentPlan::mortgage:
            return {{"kind", "mortgage"},
                    {"down_payment_fen", plan.down_payment_fen},
                    {"down_payment_due_date", plan.down_payment_due_date},
                    {"loan_fen", plan.loan_fen},
                    {"loan_expected_date", plan.loan_expected_date}};
    }
    return nlohmann::json::object();
}

std::int64_t plan_total(const Plan& plan, std::int64_t price_fen) {
    switch (plan.kind) {
        case PaymentPlan::one_off:
            return price_fen;
        case PaymentPlan::instalments: {
            std::int64_t total = 0;
            for (const auto& i : plan.instalments)
                total = sales::checked_add(total, i.amount_fen);
            return total;
        }
        case PaymentPlan::mortgage:
            return sales::checked_add(plan.down_payment_fen, plan.loan_fen);
    }
    return 0;
}

void check_plan(const Plan& plan, PaymentPlan expected_kind, std::int64_t price_fen) {
    if (plan.kind != expected_kind) {
        sales::fail_rule("plan_kind_mismatch",
                         "the plan must be the subscription's payment plan (" +
                             std::string(to_string(expected_kind)) + ")",
                         {{"expected", to_string(expected_kind)}, {"got", to_string(plan.kind)}});
    }
    const auto total = plan_total(plan, price_fen);
    if (total != price_fen) {
        sales::fail_rule("plan_does_not_sum_to_price",
                         "the plan's amounts add up to " + std::to_string(total) +
                             " fen, the price is " + std::to_string(price_fen) + " fen (CON-3)",
                         {{"plan_total_fen", total}, {"price_fen", price_fen}});
    }
}

}  // namespace contract::domain
