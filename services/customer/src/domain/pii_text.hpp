#pragma once
// CUS-8 in free text: phone numbers (and resident ID-card numbers) typed into notes, complaint
// texts and other free-text fields are masked for non-owners exactly like the record's own
// fields. Pure: no I/O.
#include <string>
#include <string_view>

namespace customer::domain {

// `text` with every phone number in it replaced by its mask_phone() form ("138****8000"):
// 11-digit mobiles and landlines with their area code (what normalise_phone accepts), also when
// written with separators (spaces, '-', '.', parentheses, "+86"/"0086", full-width digits and
// punctuation): "客户电话 138 0013 8000，下午再联系" → "客户电话 138****8000，下午再联系".
// 18-character ID-card numbers (17 digits and a digit or X) become their mask_id_number() form.
// Other digits (prices, dates, unit numbers, subscriber numbers without an area code) are kept.
std::string mask_pii_in_text(std::string_view text);

}  // namespace customer::domain
