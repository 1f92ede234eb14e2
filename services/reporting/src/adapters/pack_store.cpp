#include "adapters/pack_store.hpp"

#include <stdexcept>

namespace reporting::adapters {
namespace {
using nlohmann::json;
using sales::db::param;

// Binary content travels as hex text (the parameters are text).
std::string hex_of(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string bytes_of(const std::string& hex) {
    const auto value = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        throw std::runtime_error("report pack content is not hex");
    };
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<char>(value(hex[2 * i]) * 16 + value(hex[2 * i + 1]));
    return out;
}

const std::string kPackColumns =
    "SELECT r.pack_id::text AS pack_id, r.kind, to_char(r.period_from, 'YYYY-MM-DD') AS "
    "period_from, to_char(r.period_to, 'YYYY-MM-DD') AS period_to, r.project_id::text AS "
    "project_id, coalesce(p.code, '') AS project_code, coalesce(p.name, '') AS project_name, "
    "r.file_name, r.sheets, r.data_rows, r.size_bytes, r.generated_by, " +
    sales::db::rfc3339("r.generated_at", "generated_at") +
    " FROM report_packs r LEFT JOIN projects p ON p.project_id = r.project_id ";

json pack_json_of(const sales::db::Row& row) {
    return json{{"id", row.text("pack_id")},
                {"kind", row.text("kind")},
                {"period_from", row.text("period_from")},
                {"period_to", row.text("period_to")},
                {"project_id", row.text("project_id")},
                {"project_code", row.text("project_code")},
                {"project_name", row.text("project_name")},
                {"file_name", row.text("file_name")},
                {"sheets", row.int64("sheets")},
                {"data_rows", row.int64("data_rows")},
                {"size_bytes", row.int64("size_bytes")},
                {"generated_by", row.text("generated_by")},
                {"generated_at", row.text("generated_at")}};
}

}  // namespace

std::vector<PackProject> pack_projects(sales::db::Tx& tx) {
    std::vector<PackProject> out;
    for (const auto& row :
         tx.exec("SELECT project_id::text AS id, code FROM projects ORDER BY code"))
        out.push_back({row.text("id"), row.text("code")});
    return out;
}

std::optional<PackProject> pack_project(sales::db::Tx& tx, const std::string& project_id) {
    const auto rows = tx.exec(
        "SELECT project_id::text AS id, code FROM projects WHERE "
        "project_id = $1::uuid",
        {param(project_id)});
    if (rows.empty())
        return std::nullopt;
    return PackProject{rows[0].text("id"), rows[0].text("code")};
}

bool pack_exists(sales::db::Tx& tx, const std::string& kind, const std::string& period_from,
                 const std::string& project_id) {
    return !tx.exec(
                  "SELECT 1 FROM report_packs WHERE kind = $1 AND period_from = $2::date AND "
                  "project_id = $3::uuid",
                  {param(kind), param(period_from), param(project_id)})
                .empty();
}

std::string store_pack(sales::db::Tx& tx, const PackRow& pack, const std::string& content,
                       bool replace) {
    const std::string conflict =
        replace ? "DO UPDATE SET pack_id = EXCLUDED.pack_id, period_to = EXCLUDED.period_to, "
                  "file_name = EXCLUDED.file_name, sheets = EXCLUDED.sheets, data_rows = "
                  "EXCLUDED.data_rows, size_bytes = EXCLUDED.size_bytes, content = "
                  "EXCLUDED.content, generated_at = now(), generated_by = EXCLUDED.generated_by"
                : "DO NOTHING";
    tx.exec(
        "INSERT INTO report_packs (pack_id, kind, period_from, period_to, project_id, "
        "file_name, sheets, data_rows, size_bytes, content, generated_by) VALUES ($1::uuid, "
        "$2, $3::date, $4::date, $5::uuid, $6, $7, $8, $9, decode($10, 'hex'), $11) "
        "ON CONFLICT (kind, period_from, project_id) " +
            conflict,
        {param(pack.pack_id), param(pack.kind), param(pack.period_from), param(pack.period_to),
         param(pack.project_id), param(pack.file_name), param(pack.sheets), param(pack.data_rows),
         param(static_cast<std::int64_t>(content.size())), param(hex_of(content)),
         param(pack.generated_by)});
    return tx
        .exec(
            "SELECT pack_id::text AS id FROM report_packs WHERE kind = $1 AND period_from = "
            "$2::date AND project_id = $3::uuid",
            {param(pack.kind), param(pack.period_from), param(pack.project_id)})[0]
        .text("id");
}

PackPage list_packs(sales::db::Tx& tx, const std::optional<std::vector<std::string>>& project_ids,
                    const std::optional<std::string>& kind, std::int64_t limit,
                    std::int64_t offset) {
    const std::string where =
        "WHERE ($1::uuid[] IS NULL OR r.project_id = ANY($1::uuid[])) AND ($2::text IS NULL OR "
        "r.kind = $2) ";
    const sales::db::Params filter = {param(project_ids), param(kind)};
    PackPage page;
    page.total = tx.exec("SELECT count(*) AS n FROM report_packs r " + where, filter)[0].int64("n");
    auto params = filter;
    params.push_back(param(limit));
    params.push_back(param(offset));
    for (const auto& row : tx.exec(kPackColumns + where +
                                       "ORDER BY r.period_from DESC, r.kind, p.code "
                                       "LIMIT $3 OFFSET $4",
                                   params))
        page.items.push_back(pack_json_of(row));
    return page;
}

std::optional<json> pack_json(sales::db::Tx& tx, const std::string& pack_id) {
    const auto rows = tx.exec(kPackColumns + "WHERE r.pack_id = $1::uuid", {param(pack_id)});
    if (rows.empty())
        return std::nullopt;
    return pack_json_of(rows[0]);
}

std::optional<PackFile> pack_file(sales::db::Tx& tx, const std::string& pack_id) {
    const auto rows = tx.exec(
        "SELECT project_id::text AS project_id, file_name, "
        "encode(content, 'hex') AS content FROM report_packs WHERE "
        "pack_id = $1::uuid",
        {param(pack_id)});
    if (rows.empty())
        return std::nullopt;
    return PackFile{rows[0].text("project_id"), rows[0].text("file_name"),
                    bytes_of(rows[0].text("content"))};
}

std::int64_t prune_packs(sales::db::Tx& tx, const std::string& before) {
    return static_cast<std::int64_t>(
        tx.exec("DELETE FROM report_packs WHERE period_to < $1::date", {param(before)})
            .affected_rows());
}

}  // namespace reporting::adapters
