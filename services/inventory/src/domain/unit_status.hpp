#pragma once
// INV-4 unit status state machine (plus `held`, a subscription awaiting its deposit, CON-1).
// Pure: no I/O. The application turns `sources(action)` into the conditional UPDATE's
// `status IN (...)`, so the table below is the only place where transitions are defined.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/problems.hpp"
#include "sales/enum_names.hpp"

namespace inventory::domain {

SALES_ENUM(UnitStatus, not_for_sale, available, reserved, held, subscribed, signed_, handed_over);

enum class UnitAction {
    release,           // not_for_sale → available (release batch)
    withdraw,          // available → not_for_sale
    reserve,           // available → reserved (预留, INV-4)
    end_reservation,   // reserved → available (cancelled or expired)
    hold,              // available → held (rpc.inventory.hold)
    hold_reserved,     // reserved → held, only for the request naming the reservation
    confirm,           // held → subscribed (deposit received)
    release_deal,      // held | subscribed → available (subscription released or cancelled)
    expire_hold,       // held → available (hold_until passed)
    take_subscribed,   // available → subscribed (swap of a confirmed subscription, CON-2)
    sign,              // subscribed → signed (CON-3)
    hand_over,         // signed → handed_over (CON-9)
    release_contract,  // signed → available (CON-6: contract cancelled after review)
    reopen,            // subscribed → held (FIN-3: the deposit was reversed before signing)
    change_signed,     // held → signed (CON-5 换房: a contract's approved unit change takes the
                       // unit its amendment held)
};

const std::vector<UnitStatus>& all_statuses();
const std::vector<UnitAction>& all_actions();

// to_string(UnitStatus): "not_for_sale", ..., "signed", "handed_over" (SALES_ENUM).
std::string_view to_string(UnitAction action);
inline constexpr auto parse_status = &sales::parse_enum<UnitStatus>;

// Statuses from which `action` is legal (never empty).
const std::vector<UnitStatus>& sources(UnitAction action);
UnitStatus target(UnitAction action);

struct Transition {
    std::optional<UnitStatus> to;  // set when legal
    // Set when illegal (409): code "unit_not_available" for actions that take the unit for a
    // deal, "invalid_transition" otherwise; the message names the action, status and sources.
    std::optional<sales::Failure> error;
    bool legal() const { return to.has_value(); }
};

Transition decide(UnitStatus from, UnitAction action);

// The deal price is shown on the board only for sold units (subscribed and later, INV-5).
bool is_sold(UnitStatus status);

}  // namespace inventory::domain
