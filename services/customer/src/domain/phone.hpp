#pragma once
// Phone numbers as the de-duplication key of a customer (CUS-1, CUS-3) and their masks (CUS-8).
// Pure: no I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace customer::domain {

enum class PhoneKind { mobile, landline };

struct Phone {
    std::string digits;  // normalised: "13812345678" (mobile), "02887654321" (landline)
    PhoneKind kind = PhoneKind::mobile;
};

// CUS-1 normalisation. Accepts separators (space, '-', '(', ')', '.'), a country prefix
// "+86" / "0086" / "86" (mobile) and landlines with or without the leading 0 of the area code
// after +86. A Chinese mobile number is 11 digits 1[3-9]xxxxxxxxx; a landline is the area code
// (010, 02x, 0xxx) and a 7–8 digit subscriber number: 10–12 digits starting 0[1-9].
// nullopt (with `problem`) for anything else: letters, extensions, too short or long, another
// country's prefix.
std::optional<Phone> normalise_phone(std::string_view text, std::string& problem);

std::string_view to_string(PhoneKind kind);

// CUS-8 masks: 138****5678 (first 3, four stars, last 4) for phones; ID numbers keep the first 3
// and last 4 characters with a star for each hidden one; addresses keep their first 6 characters
// (province/city) followed by "****". Short values become all stars.
std::string mask_phone(std::string_view digits);
std::string mask_id_number(std::string_view id_number);
std::string mask_address(std::string_view address);

// The digits of a search fragment ("138 1234" → "1381234"); empty when it holds none.
std::string phone_fragment(std::string_view text);

// ---- CUS-8 searching customers by phone ----------------------------------------------------
enum class PhoneSearchKind {
    none,      // fewer than 4 digits: a name search only
    exact,     // a whole number normalise_phone accepts: that phone, for every reader
    fragment,  // at least 4 digits that are not a whole number
};
inline constexpr std::size_t kMinPhoneFragment = 4;
struct PhoneSearch {
    PhoneSearchKind kind = PhoneSearchKind::none;
    std::string digits;               // the normalised phone (exact) or the fragment's digits
    bool own_customers_only = false;  // fragment: only the caller's own customers' phones
};
// How the search text `q` searches phones. A fragment matches every phone only for readers with
// customer.pii.read; for everyone else it matches only the phones of their own customers:
// comparing the masked results of overlapping fragment searches would reveal hidden digits.
PhoneSearch phone_search(std::string_view q, bool has_pii_permission);
std::string_view to_string(PhoneSearchKind kind);

}  // namespace customer::domain
