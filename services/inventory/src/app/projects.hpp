#pragma once
// Project use cases: validate (domain), store and emit inventory.project.created in one
// transaction (outbox), read back.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/project.hpp"
#include "sales/db.hpp"

namespace inventory::app {

inline constexpr const char* kProjectCreated = "inventory.project.created";

struct Project {
    std::string id;
    std::string code;
    std::string name;
    std::string city;
    std::int64_t version = 1;
    std::string created_by;
    std::string created_at;
};
nlohmann::json to_json(const Project& p);

class InvalidProject : public std::runtime_error {
  public:
    explicit InvalidProject(std::vector<domain::FieldProblem> problems);
    const std::vector<domain::FieldProblem>& problems() const { return problems_; }

  private:
    std::vector<domain::FieldProblem> problems_;
};

class DuplicateProjectCode : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Throws InvalidProject or DuplicateProjectCode; nothing is written then.
Project create_project(sales::db::Pool& db, const domain::NewProject& input,
                       const std::string& actor);
std::optional<Project> find_project(sales::db::Pool& db, const std::string& id);
std::vector<Project> list_projects(sales::db::Pool& db, std::int64_t limit, std::int64_t offset);

}  // namespace inventory::app
