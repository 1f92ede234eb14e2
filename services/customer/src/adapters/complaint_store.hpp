#pragma once
// complaints (CUS-10): category, description, due days and the two answers.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/customer.hpp"
#include "sales/db.hpp"

namespace customer::adapters {

struct ComplaintRow {
    std::string id;
    std::string customer_id;
    std::string project_id;
    std::string category;
    std::string description;
    std::string received_on;  // YYYY-MM-DD
    std::string first_response_due;
    std::string final_due;
    std::string created_by;
};
void insert_complaint(sales::db::Tx& tx, const ComplaintRow& row);
std::optional<sales::db::Row> find_complaint(sales::db::Tx& tx, const std::string& id,
                                             bool for_update);
// The first response (respond) or the final result (resolve) with the complaint's next status;
// resolving an unanswered complaint answers it too.
void record_answer(sales::db::Tx& tx, domain::ComplaintAction action, const std::string& id,
                   const std::string& status, const std::string& text, const std::string& by);
// overdue_only: open past the first-response day or unresolved past the final day (`today`).
sales::db::Result list_complaints(sales::db::Tx& tx, const std::string& project_id,
                                  const std::optional<std::string>& status, bool overdue_only,
                                  const std::string& today, std::int64_t limit,
                                  std::int64_t offset);
// Unresolved complaints of a rep's customers with their overdue flag on `today` (at most 200).
sales::db::Result open_complaints_of(sales::db::Tx& tx, const std::string& rep_id,
                                     const std::string& today);

}  // namespace customer::adapters
