#include "domain/registration.hpp"

#include <algorithm>

namespace contract::domain {

Date registration_due(Date stamped_on, std::int64_t working_days) {
    return sales::add_working_days(stamped_on, working_days);
}

bool registration_overdue(Date due_on, Date today) {
    return today > due_on;
}

std::string normalise_registration_no(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::optional<std::vector<ContractStatus>> parse_status_list(std::string_view text,
                                                             std::string& problem) {
    std::vector<ContractStatus> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const auto name =
            text.substr(start, comma == std::string_view::npos ? comma : comma - start);
        const auto status = parse_contract_status(name);
        if (!status) {
            problem = "must be a comma-separated list of " +
                      std::string(sales::enum_names<ContractStatus>().list());
            return std::nullopt;
        }
        if (std::find(out.begin(), out.end(), *status) == out.end())
            out.push_back(*status);
        if (comma == std::string_view::npos)
            return out;
        start = comma + 1;
    }
}

std::string prefix_pattern(std::string_view prefix) {
    std::string out;
    out.reserve(prefix.size() + 1);
    for (const char c : prefix) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '%';
}

}  // namespace contract::domain
