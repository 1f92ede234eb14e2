#pragma once
// INV-1 project: what makes a valid project record. Pure: no I/O.
#include <optional>
#include <string>
#include <vector>

#include "domain/problems.hpp"

namespace inventory::domain {

struct NewProject {
    std::string
        code;  // 2–8 upper-case letters/digits, starting with a letter (used in CON-3 numbers)
    std::string name;
    std::string city;
};

// Every problem found, in field order; empty when valid.
std::vector<FieldProblem> validate(const NewProject& project);

}  // namespace inventory::domain
