#include "domain/phone.hpp"

namespace customer::domain {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_mobile(const std::string& d) {
    return d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

bool is_landline(const std::string& d) {
    return d.size() >= 10 && d.size() <= 12 && d[0] == '0' && d[1] >= '1' && d[1] <= '9';
}

// Keeps UTF-8 code points [0, count) of `text`.
std::string utf8_prefix(std::string_view text, std::size_t count) {
    std::size_t seen = 0, i = 0;
    for (; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            if (seen == count)
                break;
            ++seen;
        }
    }
    return std::string(text.substr(0, i));
}

std::size_t utf8_count(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text)
        n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

}  // namespace

std::optional<Phone> normalise_phone(std::string_view text, std::string& problem) {
    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_digit(c)) {
            digits.push_back(c);
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') {
            continue;
        } else {
            problem =
                "must be a Chinese mobile (11 digits, e.g. 13812345678) or landline "
                "(area code + number, e.g. 028-87654321) number; found an unexpected "
                "character";
            return std::nullopt;
        }
    }
    bool international = false;
    if (plus) {
        if (digits.rfind("86", 0) != 0) {
            problem = "only Chinese numbers (+86) are accepted";
            return std::nullopt;
        }
        digits.erase(0, 2);
        international = true;
    } else if (digits.rfind("0086", 0) == 0) {
        digits.erase(0, 4);
        international = true;
    } else if (digits.rfind("00", 0) == 0) {
        problem = "only Chinese numbers (+86) are accepted";
        return std::nullopt;
    } else if (digits.size() == 13 && digits.rfind("861", 0) == 0) {
        digits.erase(0, 2);  // "86 138 1234 5678" written without the plus sign
    }
    if (international && !digits.empty() && digits[0] != '1' && digits[0] != '0')
        digits.insert(digits.begin(), '0');  // +86 28 87654321: the area code loses its 0
    if (is_mobile(digits))
        return Phone{digits, PhoneKind::mobile};
    if (is_landline(digits))
        return Phone{digits, PhoneKind::landline};
    problem = digits.size() == 11 && digits[0] == '1'
                  ? "is not a valid Chinese mobile number (the second digit must be 3–9)"
                  : "must be a Chinese mobile (11 digits, e.g. 13812345678) or landline (area "
                    "code + number, e.g. 028-87654321) number";
    return std::nullopt;
}

std::string_view to_string(PhoneKind kind) {
    return kind == PhoneKind::mobile ? "mobile" : "landline";
}

std::string mask_phone(std::string_view digits) {
    if (digits.size() < 8)
        return std::string(digits.size(), '*');
    return std::string(digits.substr(0, 3)) + "****" +
           std::string(digits.substr(digits.size() - 4));
}

std::string mask_id_number(std::string_view id_number) {
    if (id_number.size() < 8)
        return std::string(id_number.size(), '*');
    return std::string(id_number.substr(0, 3)) + std::string(id_number.size() - 7, '*') +
           std::string(id_number.substr(id_number.size() - 4));
}

std::string mask_address(std::string_view address) {
    if (utf8_count(address) <= 6)
        return "****";
    return utf8_prefix(address, 6) + "****";
}

std::string phone_fragment(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (is_digit(c))
            out.push_back(c);
    }
    return out;
}

PhoneSearch phone_search(std::string_view q, bool has_pii_permission) {
    PhoneSearch search;
    std::string problem;
    if (const auto phone = normalise_phone(q, problem)) {
        search.kind = PhoneSearchKind::exact;
        search.digits = phone->digits;
        return search;
    }
    search.digits = phone_fragment(q);
    if (search.digits.size() < kMinPhoneFragment) {
        search.digits.clear();
        return search;
    }
    search.kind = PhoneSearchKind::fragment;
    search.own_customers_only = !has_pii_permission;
    return search;
}

std::string_view to_string(PhoneSearchKind kind) {
    switch (kind) {
        case PhoneSearchKind::exact:
            return "phone_exact";
        case PhoneSearchKind::fragment:
            return "phone_fragment";
        case PhoneSearchKind::none:
            break;
    }
    return "name";
}

}  // namespace customer::domain
