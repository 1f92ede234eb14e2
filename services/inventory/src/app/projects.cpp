#include "app/projects.hpp"

#include "sales/bus.hpp"
#include "sales/ids.hpp"

namespace inventory::app {
namespace {
constexpr const char* kSelect =
    "SELECT id::text, code, name, city, version, created_by, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS created_at "
    "FROM projects ";

Project from_row(const sales::db::Row& r) {
    return {r.text("id"),       r.text("code"),       r.text("name"),      r.text("city"),
            r.int64("version"), r.text("created_by"), r.text("created_at")};
}
}  // namespace

nlohmann::json to_json(const Project& p) {
    return {{"id", p.id},
            {"code", p.code},
            {"name", p.name},
            {"city", p.city},
            {"version", p.version},
            {"created_by", p.created_by},
            {"created_at", p.created_at}};
}

InvalidProject::InvalidProject(std::vector<domain::FieldProblem> problems)
    : std::runtime_error("invalid project"), problems_(std::move(problems)) {}

Project create_project(sales::db::Pool& db, const domain::NewProject& input,
                       const std::string& actor) {
    if (auto problems = domain::validate(input); !problems.empty())
        throw InvalidProject(std::move(problems));
    const std::string id = sales::new_uuid();
    return db.transaction([&](sales::db::Tx& tx) {
        const auto inserted = tx.exec(
            "INSERT INTO projects (id, code, name, city, created_by) VALUES ($1::uuid, $2, $3, $4, "
            "$5) "
            "ON CONFLICT (code) DO NOTHING",
            {id, input.code, input.name, input.city, actor});
        if (inserted.affected_rows() == 0) {
            throw DuplicateProjectCode("project code " + input.code + " is already used");
        }
        Project project = from_row(tx.exec_one(std::string(kSelect) + "WHERE id = $1::uuid", {id}));
        sales::bus::outbox_append(
            tx, sales::bus::make_event("inventory", kProjectCreated, project.id, project.version,
                                       to_json(project)));
        return project;
    });
}

std::optional<Project> find_project(sales::db::Pool& db, const std::string& id) {
    if (!sales::is_uuid(id))
        return std::nullopt;
    return db.transaction([&](sales::db::Tx& tx) -> std::optional<Project> {
        auto row = tx.exec_maybe_one(std::string(kSelect) + "WHERE id = $1::uuid", {id});
        if (!row)
            return std::nullopt;
        return from_row(*row);
    });
}

std::vector<Project> list_projects(sales::db::Pool& db, std::int64_t limit, std::int64_t offset) {
    return db.transaction([&](sales::db::Tx& tx) {
        std::vector<Project> out;
        for (const auto& row :
             tx.exec(std::string(kSelect) + "ORDER BY code LIMIT $1 OFFSET $2", {limit, offset})) {
            out.push_back(from_row(row));
        }
        return out;
    });
}

}  // namespace inventory::app
