#include "domain/project.hpp"

#include "sales/text.hpp"

namespace inventory::domain {
namespace {

bool blank(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
}
}  // namespace

std::vector<FieldProblem> validate(const NewProject& project) {
    std::vector<FieldProblem> problems;
    const auto& code = project.code;
    bool code_ok = code.size() >= 2 && code.size() <= 8 && code[0] >= 'A' && code[0] <= 'Z';
    for (char c : code)
        code_ok = code_ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    if (!code_ok) {
        problems.push_back(
            {"code", "must be 2–8 upper-case letters or digits starting with a letter, e.g. HX01"});
    }
    if (blank(project.name) || sales::utf8_length(project.name) > 100) {
        problems.push_back({"name", "must be 1–100 characters"});
    }
    if (blank(project.city) || sales::utf8_length(project.city) > 50) {
        problems.push_back({"city", "must be 1–50 characters"});
    }
    return problems;
}

}  // namespace inventory::domain
