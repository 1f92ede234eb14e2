// Phone normalisation (CUS-1) and search fragments: any text either normalises to digits that
// normalise again to themselves, or is refused with a problem to show; masking shows at
// most seven digits.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "domain/phone.hpp"
#include "domain/pii_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string problem;
    const auto phone = customer::domain::normalise_phone(text, problem);
    if (phone) {
        std::string again_problem;
        const auto again = customer::domain::normalise_phone(phone->digits, again_problem);
        if (!again || again->digits != phone->digits)
            std::abort();
        const auto masked = customer::domain::mask_phone(phone->digits);
        const auto shown = std::count_if(masked.begin(), masked.end(),
                                         [](char c) { return c >= '0' && c <= '9'; });
        if (masked.find("****") == std::string::npos || shown > 7)
            std::abort();
    } else if (problem.empty()) {
        std::abort();
    }
    (void)customer::domain::phone_fragment(text);
    // Free text shown to non-owners: a whole phone typed into it never survives masking.
    const auto note = customer::domain::mask_pii_in_text(text);
    if (phone && phone->digits.size() == 11 && text == phone->digits &&
        note.find(phone->digits) != std::string::npos)
        std::abort();
    return 0;
}
