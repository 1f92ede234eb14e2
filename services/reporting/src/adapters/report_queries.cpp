#include "adapters/report_queries.hpp"

#include <stdexcept>
#include <utility>

namespace reporting::adapters {
namespace {
using domain::Record;
using domain::ReportName;
using sales::db::param;
using sales::db::Params;

// A column of a query's rows: its name and whether it holds an integer (else text).
struct Field {
    const char* name;
    bool integer;
};
using Fields = std::vector<Field>;

Record record_of(const sales::db::Row& row, const Fields& fields) {
    Record record;
    for (const auto& f : fields) {
        if (row.is_null(f.name))
            continue;
        if (f.integer)
            record[f.name] = row.int64(f.name);
        else
            record[f.name] = row.text(f.name);
    }
    return record;
}

// $1 projects (uuid[] or NULL: all), $2 from, $3 to (dates or NULL), then each report's own.
const std::string kScope = "($1::uuid[] IS NULL OR {t}.project_id = ANY($1::uuid[]))";

std::string scoped(const std::string& alias) {
    auto text = kScope;
    text.replace(text.find("{t}"), 3, alias);
    return text;
}
std::string in_range(const std::string& column) {
    return "($2::date IS NULL OR " + column + " >= $2::date) AND ($3::date IS NULL OR " + column +
           " <= $3::date)";
}

// The query of one report: rows (a page: $limit and $offset appended) and sums over all rows.
struct Statement {
    std::string rows;
    std::string sums;
    Fields row_fields;
    Fields sum_fields;
};

// Contracts with their unit, building, project and first contact.
const std::string kContractJoins =
    " FROM contracts c LEFT JOIN units u ON u.unit_id = c.unit_id "
    "LEFT JOIN buildings b ON b.building_id = u.building_id "
    "LEFT JOIN projects p ON p.project_id = c.project_id "
    "LEFT JOIN customers cu ON cu.customer_id = c.customer_id ";

const std::string kSalesWhere = kContractJoins + "WHERE " + scoped("c") + " AND " +
                                in_range("c.signed_on") +
                                " AND ($4::uuid IS NULL OR u.building_id = $4::uuid) "
                                "AND ($5::text IS NULL OR c.rep_id = $5) "
                                "AND ($6::text IS NULL OR c.status = $6) ";

const Statement kSales{
    "SELECT to_char(c.signed_on, 'YYYY-MM-DD') AS signed_on, c.contract_no, "
    "p.name AS project_name, b.name AS building_name, u.unit_number, u.layout, "
    "c.gross_area_centi_m2, c.list_total_fen, c.discount_fen, c.price_fen, c.payment_plan, "
    "cu.channel, c.rep_id, c.status" +
        kSalesWhere + "ORDER BY c.signed_at, c.contract_no LIMIT $7 OFFSET $8",
    "SELECT count(*) AS count, coalesce(sum(c.gross_area_centi_m2), 0)::bigint AS "
    "gross_area_centi_m2, coalesce(sum(c.list_total_fen), 0)::bigint AS list_total_fen, "
    "coalesce(sum(c.discount_fen), 0)::bigint AS discount_fen, "
    "coalesce(sum(c.price_fen), 0)::bigint AS price_fen" +
        kSalesWhere,
    {{"signed_on", false},
     {"contract_no", false},
     {"project_name", false},
     {"building_name", false},
     {"unit_number", false},
     {"layout", false},
     {"gross_area_centi_m2", true},
     {"list_total_fen", true},
     {"discount_fen", true},
     {"price_fen", true},
     {"payment_plan", false},
     {"channel", false},
     {"rep_id", false},
     {"status", false}},
    {{"count", true},
     {"gross_area_centi_m2", true},
     {"list_total_fen", true},
     {"discount_fen", true},
     {"price_fen", true}}};

const std::string kCancellationsWhere = kContractJoins + "WHERE " + scoped("c") +
                                        " AND c.cancelled_on IS NOT NULL AND " +
                                        in_range("c.cancelled_on") + " ";
const Statement kCancellations{
    "SELECT to_char(c.cancelled_on, 'YYYY-MM-DD') AS cancelled_on, c.contract_no, "
    "b.name AS building_name, u.unit_number, to_char(c.signed_on, 'YYYY-MM-DD') AS signed_on, "
    "c.price_fen, c.refund_fen, c.cancel_reason AS reason, c.cancel_approved_by AS approved_by" +
        kCancellationsWhere + "ORDER BY c.cancelled_at, c.contract_no LIMIT $4 OFFSET $5",
    "SELECT count(*) AS count, coalesce(sum(c.price_fen), 0)::bigint AS price_fen, "
    "coalesce(sum(c.refund_fen), 0)::bigint AS refund_fen" +
        kCancellationsWhere,
    {{"cancelled_on", false},
     {"contract_no", false},
     {"building_name", false},
     {"unit_number", false},
     {"signed_on", false},
     {"price_fen", true},
     {"refund_fen", true},
     {"reason", false},
     {"approved_by", false}},
    {{"count", true}, {"price_fen", true}, {"refund_fen", true}}};

const std::string kUnitChangesWhere =
    " FROM unit_changes x LEFT JOIN contracts c ON c.subscription_id = x.subscription_id "
    "LEFT JOIN units uo ON uo.unit_id = x.old_unit_id "
    "LEFT JOIN buildings bo ON bo.building_id = uo.building_id "
    "LEFT JOIN units un ON un.unit_id = x.new_unit_id "
    "LEFT JOIN buildings bn ON bn.building_id = un.building_id WHERE " +
    scoped("x") + " AND " + in_range("x.changed_on") + " ";
const Statement kUnitChanges{
    "SELECT to_char(x.changed_on, 'YYYY-MM-DD') AS changed_on, x.stage, c.contract_no, "
    "concat_ws(' ', bo.name, uo.unit_number) AS old_unit, "
    "concat_ws(' ', bn.name, un.unit_number) AS new_unit, x.old_price_fen, x.new_price_fen, "
    "x.reason, x.approved_by" +
        kUnitChangesWhere + "ORDER BY x.changed_at, x.change_id LIMIT $4 OFFSET $5",
    "SELECT count(*) AS count, coalesce(sum(x.old_price_fen), 0)::bigint AS old_price_fen, "
    "coalesce(sum(x.new_price_fen), 0)::bigint AS new_price_fen" +
        kUnitChangesWhere,
    {{"changed_on", false},
     {"stage", false},
     {"contract_no", false},
     {"old_unit", false},
     {"new_unit", false},
     {"old_price_fen", true},
     {"new_price_fen", true},
     {"reason", false},
     {"approved_by", false}},
    {{"count", true}, {"old_price_fen", true}, {"new_price_fen", true}}};

// Receipts are positive entries other than reversals, refunds negative entries of category
// refund (shown as positive amounts), reversals (红冲) the original negated.
const std::string kPaymentClasses =
    "CASE WHEN e.category NOT IN ('refund', 'reversal') THEN e.amount_fen ELSE 0 END AS "
    "received_fen, CASE WHEN e.category = 'refund' THEN -e.amount_fen ELSE 0 END AS "
    "refunded_fen, CASE WHEN e.category = 'reversal' THEN e.amount_fen ELSE 0 END AS "
    "reversed_fen, e.amount_fen AS net_fen";
const std::string kPaymentsFrom =
    " FROM ledger_entries e "
    "LEFT JOIN contracts ce ON ce.contract_id = e.contract_id "
    "LEFT JOIN contracts cs ON cs.subscription_id = e.subscription_id "
    "LEFT JOIN subscriptions s ON s.subscription_id = e.subscription_id "
    "LEFT JOIN units u ON u.unit_id = coalesce(ce.unit_id, cs.unit_id, s.unit_id) "
    "LEFT JOIN buildings b ON b.building_id = u.building_id WHERE " +
    scoped("e") + " AND " + in_range("e.paid_on") + " ";
const std::string kPaymentSums =
    "coalesce(sum(received_fen), 0)::bigint AS received_fen, coalesce(sum(refunded_fen), "
    "0)::bigint AS refunded_fen, coalesce(sum(reversed_fen), 0)::bigint AS reversed_fen, "
    "coalesce(sum(net_fen), 0)::bigint AS net_fen";
const Fields kPaymentSumFields = {{"count", true},
                                  {"received_fen", true},
                                  {"refunded_fen", true},
                                  {"reversed_fen", true},
                                  {"net_fen", true}};
const Statement kPayments{
    "SELECT to_char(e.paid_on, 'YYYY-MM-DD') AS paid_on, e.receipt_no, "
    "coalesce(ce.contract_no, cs.contract_no) AS contract_no, "
    "concat_ws(' ', b.name, u.unit_number) AS unit, e.category, " +
        kPaymentClasses + kPaymentsFrom + "ORDER BY e.paid_at, e.entry_id LIMIT $4 OFFSET $5",
    // The totals need no join: one ledger entry is one row.
    "SELECT count(*) AS count, " + kPaymentSums + " FROM (SELECT " + kPaymentClasses +
        " FROM ledger_entries e WHERE " + scoped("e") + " AND " + in_range("e.paid_on") + ") t",
    {{"paid_on", false},
     {"receipt_no", false},
     {"contract_no", false},
     {"unit", false},
     {"category", false},
     {"received_fen", true},
     {"refunded_fen", true},
     {"reversed_fen", true},
     {"net_fen", true}},
    kPaymentSumFields};

const Statement kPaymentsSummary{
    "SELECT to_char(date_trunc($4, e.paid_on::timestamp)::date, 'YYYY-MM-DD') AS group_start, "
    "count(*) AS entries, coalesce(sum(CASE WHEN e.category NOT IN ('refund', 'reversal') "
    "THEN e.amount_fen ELSE 0 END), 0)::bigint AS received_fen, "
    "coalesce(sum(CASE WHEN e.category = 'refund' THEN -e.amount_fen ELSE 0 END), 0)::bigint "
    "AS refunded_fen, coalesce(sum(CASE WHEN e.category = 'reversal' THEN e.amount_fen ELSE 0 "
    "END), 0)::bigint AS reversed_fen, coalesce(sum(e.amount_fen), 0)::bigint AS net_fen "
    "FROM ledger_entries e WHERE " +
        scoped("e") + " AND " + in_range("e.paid_on") + " GROUP BY 1 ORDER BY 1",
    "",
    {{"group_start", false},
     {"entries", true},
     {"received_fen", true},
     {"refunded_fen", true},
     {"reversed_fen", true},
     {"net_fen", true}},
    {}};

const Statement kSalesControl{
    "SELECT p.name AS project_name, coalesce(b.name, '未命名楼栋') AS building_name, "
    "count(*) AS total_units, count(*) FILTER (WHERE u.status = 'available') AS available, "
    "count(*) FILTER (WHERE u.status = 'reserved') AS reserved, "
    "count(*) FILTER (WHERE u.status = 'held') AS held, "
    "count(*) FILTER (WHERE u.status = 'subscribed') AS subscribed, "
    "count(*) FILTER (WHERE u.status = 'signed') AS signed, "
    "count(*) FILTER (WHERE u.status = 'handed_over') AS handed_over, "
    "count(*) FILTER (WHERE u.status = 'not_for_sale') AS not_for_sale, "
    "coalesce(sum(u.gross_area_centi_m2) FILTER (WHERE u.status IN ('subscribed', 'signed', "
    "'handed_over')), 0)::bigint AS sold_area_centi_m2, "
    "coalesce(sum(lc.price_fen), 0)::bigint AS contract_amount_fen "
    "FROM units u LEFT JOIN buildings b ON b.building_id = u.building_id "
    "LEFT JOIN projects p ON p.project_id = u.project_id "
    "LEFT JOIN contracts lc ON lc.unit_id = u.unit_id AND lc.status <> 'cancelled' WHERE " +
        scoped("u") +
        " AND ($2::date IS NULL OR $2::date IS NOT NULL) AND ($3::date IS NULL OR $3::date IS "
        "NOT NULL) AND ($4::uuid IS NULL OR u.building_id = $4::uuid) "
        "GROUP BY p.name, b.name, u.project_id, u.building_id ORDER BY p.name, b.name",
    "",
    {{"project_name", false},
     {"building_name", false},
     {"total_units", true},
     {"available", true},
     {"reserved", true},
     {"held", true},
     {"subscribed", true},
     {"signed", true},
     {"handed_over", true},
     {"not_for_sale", true},
     {"sold_area_centi_m2", true},
     {"contract_amount_fen", true}},
    {}};

const Statement kConversion{
    "WITH facts AS (SELECT date_trunc($4, received_on::timestamp)::date AS g, 1 AS customers, "
    "0 AS subscriptions, 0 AS contracts FROM customers t WHERE " +
        scoped("t") + " AND " + in_range("t.received_on") +
        " UNION ALL SELECT date_trunc($4, created_on::timestamp)::date, 0, 1, 0 FROM subscriptions "
        "t WHERE " +
        scoped("t") + " AND " + in_range("t.created_on") +
        " UNION ALL SELECT date_trunc($4, signed_on::timestamp)::date, 0, 0, 1 FROM contracts t "
        "WHERE " +
        scoped("t") + " AND " + in_range("t.signed_on") +
        ") SELECT to_char(g, 'YYYY-MM-DD') AS group_start, sum(customers)::bigint AS customers, "
        "sum(subscriptions)::bigint AS subscriptions, sum(contracts)::bigint AS contracts "
        "FROM facts GROUP BY g ORDER BY g",
    "",
    {{"group_start", false}, {"customers", true}, {"subscriptions", true}, {"contracts", true}},
    {}};

const std::string kMortgagesWhere = " FROM mortgages m WHERE " + scoped("m") +
                                    " AND ($2::date IS NULL OR m.changed_at >= $2::date) "
                                    "AND ($3::date IS NULL OR m.changed_at < $3::date + 1) "
                                    "AND ($4::text IS NULL OR m.status = $4) ";
const Statement kMortgages{
    "SELECT m.contract_no, m.loan_kind, m.loan_fen, m.bank_name, m.status, m.approved_fen, "
    "m.disbursed_fen, to_char(m.due_on, 'YYYY-MM-DD') AS due_on, m.overdue::int AS overdue" +
        kMortgagesWhere + "ORDER BY m.contract_no LIMIT $5 OFFSET $6",
    "SELECT count(*) AS count, coalesce(sum(m.loan_fen), 0)::bigint AS loan_fen, "
    "coalesce(sum(m.approved_fen), 0)::bigint AS approved_fen, "
    "coalesce(sum(m.disbursed_fen), 0)::bigint AS disbursed_fen" +
        kMortgagesWhere,
    {{"contract_no", false},
     {"loan_kind", false},
     {"loan_fen", true},
     {"bank_name", false},
     {"status", false},
     {"approved_fen", true},
     {"disbursed_fen", true},
     {"due_on", false},
     {"overdue", true}},
    {{"count", true}, {"loan_fen", true}, {"approved_fen", true}, {"disbursed_fen", true}}};

// The sales summary by a period or a dimension: signings counted on their day, cancellations on
// theirs.
std::string summary_key(const domain::Grouping& g, const std::string& day_column) {
    if (g.period)
        return "to_char(date_trunc($4, " + day_column + "::timestamp)::date, 'YYYY-MM-DD')";
    switch (*g.dimension) {
        case domain::Dimension::building:
            return "coalesce(b.name, '未命名楼栋')";
        case domain::Dimension::layout:
            return "coalesce(u.layout, '未记录户型')";
        case domain::Dimension::channel:
            return "coalesce(cu.channel, '未记录渠道')";
        case domain::Dimension::rep:
            return "c.rep_id";
        case domain::Dimension::plan:
            return "c.payment_plan";
    }
    throw std::logic_error("unknown dimension");
}

Statement sales_summary(const domain::Grouping& g) {
    const auto where = kContractJoins + "WHERE " + scoped("c") + " AND ";
    const auto sql =
        "WITH facts AS (SELECT " + summary_key(g, "c.signed_on") +
        " AS grp, 1 AS signed_count, coalesce(c.gross_area_centi_m2, 0) AS signed_area, "
        "c.price_fen AS signed_amount, 0 AS cancelled_count, 0::bigint AS cancelled_amount" +
        where + in_range("c.signed_on") + " UNION ALL SELECT " + summary_key(g, "c.cancelled_on") +
        ", 0, 0, 0, 1, c.price_fen" + where + "c.cancelled_on IS NOT NULL AND " +
        in_range("c.cancelled_on") +
        ") SELECT grp AS \"group\", grp AS group_start, sum(signed_count)::bigint AS signed_count, "
        "sum(signed_area)::bigint AS signed_area_centi_m2, sum(signed_amount)::bigint AS "
        "signed_amount_fen, sum(cancelled_count)::bigint AS cancelled_count, "
        "sum(cancelled_amount)::bigint AS cancelled_amount_fen FROM facts GROUP BY grp "
        "ORDER BY grp";
    return {sql,
            "",
            {{"group", false},
             {"group_start", false},
             {"signed_count", true},
             {"signed_area_centi_m2", true},
             {"signed_amount_fen", true},
             {"cancelled_count", true},
             {"cancelled_amount_fen", true}},
            {}};
}

std::string period_param(const ReportFilter& f) {
    return f.grouping && f.grouping->period ? std::string(to_string(*f.grouping->period))
                                            : std::string("day");
}

}  // namespace

QueryResult query_report(sales::db::Pool& db, ReportName name, const ReportFilter& f) {
    Params params{param(f.project_ids), param(f.from), param(f.to)};
    Statement statement;
    bool paged = true;
    switch (name) {
        case ReportName::sales:
            statement = kSales;
            params.insert(params.end(), {param(f.building_id), param(f.rep_id), param(f.status)});
            break;
        case ReportName::cancellations:
            statement = kCancellations;
            break;
        case ReportName::unit_changes:
            statement = kUnitChanges;
            break;
        case ReportName::payments:
            statement = kPayments;
            break;
        case ReportName::mortgages:
            statement = kMortgages;
            params.push_back(param(f.status));
            break;
        case ReportName::payments_summary:
            statement = kPaymentsSummary;
            params.push_back(period_param(f));
            paged = false;
            break;
        case ReportName::conversion:
            statement = kConversion;
            params.push_back(period_param(f));
            paged = false;
            break;
        case ReportName::sales_control:
            statement = kSalesControl;
            params.push_back(param(f.building_id));
            paged = false;
            break;
        case ReportName::sales_summary:
            statement = sales_summary(f.grouping.value_or(domain::Grouping{}));
            if (f.grouping && f.grouping->period)
                params.push_back(period_param(f));
            paged = false;
            break;
    }
    return db.transaction(
        [&](sales::db::Tx& tx) {
            QueryResult out;
            auto row_params = params;
            if (paged) {
                row_params.push_back(f.limit);
                row_params.push_back(f.offset);
            }
            for (const auto& row : tx.exec(statement.rows, row_params))
                out.rows.push_back(record_of(row, statement.row_fields));
            if (paged) {
                out.sums = record_of(tx.exec_one(statement.sums, params), statement.sum_fields);
                const auto count = out.sums.find("count");
                out.total_rows =
                    count == out.sums.end() ? 0 : std::get<std::int64_t>(count->second);
            } else {
                out.total_rows = static_cast<std::int64_t>(out.rows.size());
            }
            return out;
        },
        sales::db::Isolation::repeatable_read);
}

}  // namespace reporting::adapters
