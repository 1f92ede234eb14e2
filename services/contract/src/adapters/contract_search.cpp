#include "adapters/contract_search.hpp"

#include "sales/ids.hpp"

namespace contract::contract_search {
namespace {
using nlohmann::json;
using namespace sales::db;

// The columns of one search result (alias c).
const std::string& search_summary_columns() {
    static const std::string columns =
        "c.id::text AS id, c.contract_no, c.project_id::text AS project_id, "
        "c.building_id::text AS building_id, c.unit_id::text AS unit_id, c.unit_number, "
        "c.customer_id::text AS customer_id, c.rep_id, c.status, c.payment_plan, c.price_fen, " +
        rfc3339("c.signed_at", "signed_at") + ", " + iso_date("c.stamped_on", "stamped_on") + ", " +
        iso_date("c.registration_due_on", "registration_due_on") +
        ", c.registration_no, c.handover_state";
    return columns;
}

json contract_summary(const Row& r) {
    return {{"id", r.text("id")},
            {"contract_no", r.text("contract_no")},
            {"project_id", r.text("project_id")},
            {"building_id", nullable(r.opt_text("building_id"))},
            {"unit_id", r.text("unit_id")},
            {"unit_number", nullable(r.opt_text("unit_number"))},
            {"customer_id", r.text("customer_id")},
            {"rep_id", r.text("rep_id")},
            {"status", r.text("status")},
            {"payment_plan", r.text("payment_plan")},
            {"price_fen", r.int64("price_fen")},
            {"signed_at", r.text("signed_at")},
            {"stamped_on", nullable(r.opt_text("stamped_on"))},
            {"registration_due_on", nullable(r.opt_text("registration_due_on"))},
            {"registration_no", nullable(r.opt_text("registration_no"))},
            {"handover_state", r.text("handover_state")}};
}

// WHERE conditions with their parameters, numbered in order of addition.
class SearchConditions {
  public:
    // `condition` names its parameter as "$?".
    void add(const std::string& condition, Param value) {
        params_.push_back(std::move(value));
        auto text = condition;
        text.replace(text.find("$?"), 2, "$" + std::to_string(params_.size()));
        sql_ += " AND " + text;
    }
    void add_fixed(const std::string& condition) { sql_ += " AND " + condition; }
    // "$n" of a further parameter (LIMIT, OFFSET).
    std::string next(Param value) {
        params_.push_back(std::move(value));
        return "$" + std::to_string(params_.size());
    }
    const std::string& sql() const { return sql_; }
    const Params& params() const { return params_; }

  private:
    std::string sql_ = "WHERE true";
    Params params_;
};

// SEC-1: the caller's projects (nullopt: all). False when the caller has none that can match.
bool add_project_scope(SearchConditions& where, const Projects& projects) {
    if (!projects)
        return true;
    std::vector<std::string> ids;
    for (const auto& id : *projects) {
        if (sales::is_uuid(id))
            ids.push_back(id);
    }
    if (ids.empty())
        return false;
    if (ids.size() == 1)
        where.add("c.project_id = $?::uuid", ids.front());
    else
        where.add("c.project_id = ANY ($?::uuid[])", param(std::move(ids)));
    return true;
}

json search_page(json items, std::int64_t total, std::int64_t limit, std::int64_t offset) {
    return {{"items", std::move(items)}, {"total", total}, {"limit", limit}, {"offset", offset}};
}

}  // namespace

json search(Tx& tx, const Filter& f, const Projects& projects) {
    SearchConditions where;
    if (!add_project_scope(where, projects))
        return search_page(json::array(), 0, f.limit, f.offset);
    if (f.project_id)
        where.add("c.project_id = $?::uuid", *f.project_id);
    if (f.building_id)
        where.add("c.building_id = $?::uuid", *f.building_id);
    if (f.statuses.size() == 1)
        where.add("c.status = $?", f.statuses.front());
    else if (!f.statuses.empty())
        where.add("c.status = ANY ($?::text[])", param(f.statuses));
    if (f.signed_from)
        where.add("c.signed_at >= $?::timestamptz", *f.signed_from);
    if (f.signed_before)
        where.add("c.signed_at < $?::timestamptz", *f.signed_before);
    if (f.rep_id)
        where.add("c.rep_id = $?", *f.rep_id);
    if (f.payment_plan)
        where.add("c.payment_plan = $?", *f.payment_plan);
    if (f.customer_id)
        where.add("c.customer_id = $?::uuid", *f.customer_id);
    if (f.contract_no_pattern)
        where.add("c.contract_no LIKE $?", *f.contract_no_pattern);
    if (f.handover_state)
        where.add("c.handover_state = $?", *f.handover_state);

    const auto total =
        tx.exec_one("SELECT count(*) FROM contracts c " + where.sql(), where.params()).int64(0);
    json items = json::array();
    if (total > f.offset) {
        SearchConditions paged = where;
        const auto limit = paged.next(f.limit);
        const auto offset = paged.next(f.offset);
        for (const auto& r :
             tx.exec("SELECT " + search_summary_columns() + " FROM contracts c " + paged.sql() +
                         " ORDER BY c.signed_at DESC, c.contract_no DESC LIMIT " + limit +
                         " OFFSET " + offset,
                     paged.params()))
            items.push_back(contract_summary(r));
    }
    return search_page(std::move(items), total, f.limit, f.offset);
}

json awaiting_registration(Tx& tx, domain::Date today, const AwaitingFilter& f,
                           const Projects& projects) {
    SearchConditions where;
    where.add_fixed("c.status = 'stamped'");  // stamped, not registered, not cancelled
    if (!add_project_scope(where, projects))
        return search_page(json::array(), 0, f.limit, f.offset);
    if (f.project_id)
        where.add("c.project_id = $?::uuid", *f.project_id);
    const auto today_text = sales::to_string(today);
    if (f.overdue_only)
        where.add("c.registration_due_on < $?::date", today_text);

    const auto total =
        tx.exec_one("SELECT count(*) FROM contracts c " + where.sql(), where.params()).int64(0);
    json items = json::array();
    if (total > f.offset) {
        SearchConditions paged = where;
        const auto today_param = paged.next(today_text);
        const auto limit = paged.next(f.limit);
        const auto offset = paged.next(f.offset);
        const auto sql = "SELECT " + search_summary_columns() + ", " +
                         iso_date("c.registration_due_on", "due_on") +
                         ", coalesce(c.registration_due_on < " + today_param +
                         "::date, false) AS overdue FROM contracts c " + paged.sql() +
                         " ORDER BY c.registration_due_on NULLS FIRST, c.contract_no LIMIT " +
                         limit + " OFFSET " + offset;
        for (const auto& r : tx.exec(sql, paged.params())) {
            auto item = contract_summary(r);
            item["contract_id"] = item["id"];
            item["due_on"] = nullable(r.opt_text("due_on"));
            item["overdue"] = r.boolean("overdue");
            items.push_back(std::move(item));
        }
    }
    return search_page(std::move(items), total, f.limit, f.offset);
}

}  // namespace contract::contract_search
