#pragma once
// INV-2 price lists and change requests: a price list is drafted, approved by finance (which
// applies its prices and locks the project's unit master data), and after that unit prices
// and areas change only through an approved change request, effective from its approval time.
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/problems.hpp"
#include "sales/enum_names.hpp"

namespace inventory::domain {

inline constexpr std::size_t kMaxPriceListItems = 10'000;

SALES_ENUM(PriceListStatus, draft, approved);
inline constexpr auto parse_price_list_status = &sales::parse_enum<PriceListStatus>;

// INV-2: direct edits of unit master data and new price lists only before the lock
// (409 master_data_locked after it).
std::optional<sales::Failure> check_master_data_editable(bool locked);
// INV-2: only a draft is approved (409 invalid_transition), and only while the project is not
// yet locked.
std::optional<sales::Failure> check_price_list_approval(PriceListStatus status, bool locked);

struct PriceListItem {
    std::string unit_id;
    std::int64_t unit_price_fen_per_m2 = 0;
};
// Items: 1..kMaxPriceListItems, each unit once, prices within INV-1 bounds.
std::vector<FieldProblem> validate(const std::vector<PriceListItem>& items);

SALES_ENUM(ChangeRequestStatus, pending, approved, rejected);
enum class ChangeDecision { approve, reject };
inline constexpr auto parse_change_request_status = &sales::parse_enum<ChangeRequestStatus>;

struct ChangeRequestTransition {
    std::optional<ChangeRequestStatus> to;
    std::optional<sales::Failure> error;  // 409 invalid_transition: only pending ones are decided
};
ChangeRequestTransition decide(ChangeRequestStatus from, ChangeDecision decision);

}  // namespace inventory::domain
