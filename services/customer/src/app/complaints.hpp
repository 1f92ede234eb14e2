#pragma once
// Complaints (CUS-10): recorded with a category and a customer event, a first response within N
// and a final result within M working days of receipt (per project), and the overdue list.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/support.hpp"

namespace customer::app {

struct NewComplaint {
    domain::ComplaintCategory category = domain::ComplaintCategory::other;
    std::string description;
    std::optional<sales::Date> received_on;  // default: today in Asia/Shanghai
    domain::Channel channel = domain::Channel::call;
};

nlohmann::json record_complaint(const Context& ctx, const Caller& caller,
                                const std::string& customer_id, const NewComplaint& input);
nlohmann::json complaint_action(const Context& ctx, const Caller& caller, const std::string& id,
                                domain::ComplaintAction action, const std::string& text);
nlohmann::json get_complaint(const Context& ctx, const Caller& caller, const std::string& id);
// overdue_only: past a due day without the matching answer (domain::complaint_overdue).
nlohmann::json list_complaints(const Context& ctx, const Caller& caller,
                               const std::string& project_id,
                               std::optional<domain::ComplaintStatus> status, bool overdue_only,
                               std::int64_t limit, std::int64_t offset);

}  // namespace customer::app
