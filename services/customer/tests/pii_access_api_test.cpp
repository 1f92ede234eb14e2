// CUS-8 through the customer service (real PostgreSQL, private nats-server): phone searches by
// non-owners cannot undo the mask, every search and every full read by a non-owner lands in the
// append-only PII access log, and phones typed into notes and complaint texts are masked for
// non-owners like the phone field.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <set>

#include "sales/db.hpp"
#include "sales/http.hpp"
#include "stack.hpp"

namespace {
using nlohmann::json;
using sales::test::expect_error;
using sales::test::Stack;

constexpr int kPhoneSearchesPerHour = 25;

class PiiAccessApi : public sales::test::StackSuite<PiiAccessApi> {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack(
            "cus_pii", {"customer"},
            {{"SALES_CUSTOMER_PHONE_SEARCHES_PER_HOUR", std::to_string(kPhoneSearchesPerHour)}});
        project_ = new std::string(stack_->announce_project("customer", "PII1", "锦城苑"));
    }
    static void TearDownTestSuite() {
        delete project_;
        StackSuite::TearDownTestSuite();
    }

    static std::int64_t rows(const std::string& table, const std::string& where = "true",
                             const sales::db::Params& params = {}) {
        return stack_->count("customer", "SELECT count(*) FROM " + table + " WHERE " + where,
                             params);
    }
    static sales::http::ClientResponse call(const std::string& method, const std::string& path,
                                            const std::string& user, const std::string& role,
                                            const json& body = nullptr) {
        return stack_->call("customer", method, path, body, Stack::as(user, {role}));
    }
    static std::string unique_mobile() {
        static std::atomic<int> n{0};
        const auto tail = std::to_string(10'000'000 + (std::rand() % 80'000'000) + (++n));
        return "137" + tail.substr(tail.size() - 8);
    }
    // Records a customer owned by `rep` (asserting 201) with `note` on its first event.
    static json created(const std::string& rep, const std::string& phone,
                        const std::string& note = "首次来访") {
        const json body = {
            {"project_id", *project_}, {"name", "李女士"},
            {"phone", phone},          {"id_number", "51010419860307123X"},
            {"channel", "visit"},      {"first_event", {{"kind", "visit"}, {"note", note}}}};
        const auto r = call("POST", "/api/v1/customers", rep, "sales_rep", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? r.json() : json::object();
    }
    static std::set<std::string> found_ids(const sales::http::ClientResponse& r) {
        std::set<std::string> ids;
        const auto body = r.json();
        for (const auto& item : body["items"])
            ids.insert(item["id"].get<std::string>());
        return ids;
    }
    static sales::http::ClientResponse search(const std::string& q, const std::string& user,
                                              const std::string& role) {
        return call("GET", "/api/v1/customers?project_id=" + *project_ + "&limit=500&q=" + q, user,
                    role);
    }
    // The log's search rows by `reader` whose query_hash is the keyed hash of `searched`.
    static std::int64_t searches_for(const std::string& reader, const std::string& searched) {
        return rows("pii_access_log l JOIN service_keys k ON k.name = 'pii_search_hash'",
                    "l.kind = 'search' AND l.reader_id = $1 AND l.query_hash = "
                    "encode(sha256(convert_to(k.value || ':' || $2, 'UTF8')), 'hex')",
                    {reader, searched});
    }
    // Rows of the log that hold `text` anywhere.
    static std::int64_t log_rows_holding(const std::string& text) {
        return rows("pii_access_log l", "position($1 in l::text) > 0", {text});
    }

    static inline std::string* project_ = nullptr;
};

// CUS-8: a rep who does not own the customer cannot learn hidden digits from fragment searches
// (each 4-digit window of the phone finds nothing); the whole number still finds the customer,
// masked; a rep's fragment search reaches their own customers; every search is logged with the
// query masked and hashed, never raw.
TEST_F(PiiAccessApi, FragmentSearchByNonOwnerCannotRevealDigitsCus8) {
    const auto phone = unique_mobile();
    const auto theirs = created("rep-owner-a", phone)["id"].get<std::string>();
    const auto before = rows("pii_access_log", "kind = 'search' AND reader_id = 'rep-b'");

    // The attack of issue 11: overlapping fragments of the hidden middle digits.
    for (std::size_t at = 0; at + 4 <= phone.size(); ++at) {
        const auto fragment = phone.substr(at, 4);
        const auto r = search(fragment, "rep-b", "sales_rep");
        ASSERT_EQ(r.status, 200) << fragment << " " << r.body;
        EXPECT_FALSE(found_ids(r).contains(theirs)) << "fragment " << fragment << " found it";
        EXPECT_EQ(r.json()["search"]["kind"], "phone_fragment");
        EXPECT_EQ(r.json()["search"]["phone_scope"], "own");
    }
    // A fragment among the rep's own customers works.
    const auto own_phone = unique_mobile();
    const auto mine = created("rep-b", own_phone)["id"].get<std::string>();
    const auto own = search(own_phone.substr(3, 4), "rep-b", "sales_rep");
    ASSERT_EQ(own.status, 200) << own.body;
    EXPECT_TRUE(found_ids(own).contains(mine)) << own.body;
    EXPECT_EQ(own.json()["items"][0]["phone"], own_phone);

    // The whole number (any spelling normalise_phone accepts) finds it, masked.
    const auto spaced = phone.substr(0, 3) + "%20" + phone.substr(3, 4) + "%20" + phone.substr(7);
    const auto exact = search(spaced, "rep-b", "sales_rep");
    ASSERT_EQ(exact.status, 200) << exact.body;
    EXPECT_EQ(found_ids(exact), std::set<std::string>{theirs});
    EXPECT_EQ(exact.json()["search"]["kind"], "phone_exact");
    EXPECT_EQ(exact.json()["items"][0]["phone"], phone.substr(0, 3) + "****" + phone.substr(7));
    EXPECT_EQ(exact.body.find(phone), std::string::npos);

    // The sales manager (customer.pii.read) may search fragments across the project; masked.
    const auto manager = search(phone.substr(3, 4), "mgr-pii", "sales_manager");
    ASSERT_EQ(manager.status, 200) << manager.body;
    EXPECT_TRUE(found_ids(manager).contains(theirs));
    EXPECT_EQ(manager.json()["search"]["phone_scope"], "all");
    EXPECT_EQ(manager.body.find(phone), std::string::npos);

    // One log row per search, the number never stored raw; an auditor finds it by its hash.
    EXPECT_EQ(rows("pii_access_log", "kind = 'search' AND reader_id = 'rep-b'") - before, 10);
    EXPECT_EQ(log_rows_holding(phone), 0);
    EXPECT_EQ(searches_for("rep-b", phone), 1);
    EXPECT_EQ(searches_for("mgr-pii", phone.substr(3, 4)), 1);
    EXPECT_EQ(rows("pii_access_log",
                   "kind = 'search' AND reader_id = 'rep-b' AND query_kind = 'phone_exact' AND "
                   "query_masked = $1 AND result_count = 1 AND project_id = $2::uuid AND "
                   "phone_scope = 'all' AND route = 'GET /api/v1/customers' AND "
                   "reader_roles = 'sales_rep' AND request_id <> ''",
                   {phone.substr(0, 3) + "****" + phone.substr(7), *project_}),
              1);
    EXPECT_EQ(rows("pii_access_log",
                   "kind = 'search' AND reader_id = 'rep-b' AND query_kind = 'phone_fragment' "
                   "AND query_masked = '****' AND phone_scope = 'own' AND result_count = 0"),
              8);
    // A name search is logged too (no phone in it).
    ASSERT_EQ(search("%E6%9D%8E", "rep-b", "sales_rep").status, 200);  // 李
    EXPECT_EQ(rows("pii_access_log",
                   "kind = 'search' AND reader_id = 'rep-b' AND query_kind = 'name' AND "
                   "query_masked = '李' AND result_count >= 2"),
              1);
}

// CUS-8: a masked number can be completed by guessing its four hidden digits one whole number at
// a time, so a reader without customer.pii.read has a budget of whole-number searches per hour
// (SALES_CUSTOMER_PHONE_SEARCHES_PER_HOUR); name and fragment searches and managers are not
// limited.
TEST_F(PiiAccessApi, PhoneSearchesPerHourAreCappedForNonPrivilegedReaders) {
    const auto phone = unique_mobile();
    created("rep-owner-c", phone);
    for (int i = 0; i < kPhoneSearchesPerHour; ++i) {
        const auto guess = phone.substr(0, 3) + std::to_string(1000 + i) + phone.substr(7);
        ASSERT_EQ(search(guess, "rep-guesser", "sales_rep").status, 200) << i;
    }
    expect_error(search(phone, "rep-guesser", "sales_rep"), 429, "rate_limited");
    EXPECT_EQ(search("%E6%9D%8E", "rep-guesser", "sales_rep").status, 200);
    EXPECT_EQ(search(phone.substr(3, 4), "rep-guesser", "sales_rep").status, 200);
    EXPECT_EQ(search(phone, "rep-other-c", "sales_rep").status, 200);
    for (int i = 0; i <= kPhoneSearchesPerHour; ++i)
        ASSERT_EQ(search(phone, "mgr-unlimited", "sales_manager").status, 200) << i;
    EXPECT_EQ(rows("pii_access_log", "reader_id = 'rep-guesser' AND query_kind = 'phone_exact'"),
              kPhoneSearchesPerHour);
}

// CUS-8 in free text: a phone typed into an event note is masked for another rep, in full for
// the owner, and in full (logged) for customer.pii.read; complaint texts likewise, in the list
// and in the detail.
TEST_F(PiiAccessApi, PhonesInNotesAndComplaintsAreMaskedForNonOwnersCus8) {
    const auto phone = unique_mobile();
    const auto other_phone = unique_mobile();
    const auto spaced =
        other_phone.substr(0, 3) + " " + other_phone.substr(3, 4) + " " + other_phone.substr(7);
    const auto note = "客户电话 " + spaced + "，下午再联系";
    const auto masked_note =
        "客户电话 " + other_phone.substr(0, 3) + "****" + other_phone.substr(7) + "，下午再联系";
    const auto id = created("rep-owner-d", phone, note)["id"].get<std::string>();
    const auto events = "/api/v1/customers/" + id + "/events";
    const auto reads = [&] {
        return rows("pii_access_log", "kind = 'read' AND customer_id = $1::uuid", {id});
    };

    const auto owner = call("GET", events, "rep-owner-d", "sales_rep");
    ASSERT_EQ(owner.status, 200) << owner.body;
    EXPECT_EQ(owner.json()["items"][0]["note"], note);
    const auto other = call("GET", events, "rep-e", "sales_rep");
    ASSERT_EQ(other.status, 200) << other.body;
    EXPECT_EQ(other.json()["items"][0]["note"], masked_note);
    EXPECT_EQ(other.body.find(other_phone), std::string::npos) << other.body;
    EXPECT_EQ(other.body.find(spaced), std::string::npos) << other.body;
    EXPECT_EQ(reads(), 0);  // owner reads and masked reads are not PII reads

    const auto manager = call("GET", events, "mgr-d", "sales_manager");
    ASSERT_EQ(manager.status, 200) << manager.body;
    EXPECT_EQ(manager.json()["items"][0]["note"], note);
    EXPECT_EQ(reads(), 1);
    EXPECT_EQ(
        rows("pii_access_log",
             "kind = 'read' AND customer_id = $1::uuid AND reader_id = 'mgr-d' AND route = $2",
             {id, "GET /api/v1/customers/" + id + "/events"}),
        1);

    // The unmasked detail read by customer.pii.read is logged as well.
    const auto detail = call("GET", "/api/v1/customers/" + id, "mgr-d", "sales_manager");
    EXPECT_EQ(detail.json()["phone"], phone);
    EXPECT_EQ(reads(), 2);

    // Complaint texts.
    const auto complaint =
        call("POST", "/api/v1/customers/" + id + "/complaints", "rep-owner-d", "sales_rep",
             {{"category", "service"},
              {"description", "业主来电投诉，回拨 " + other_phone + " 或座机 028-87654321"}});
    ASSERT_EQ(complaint.status, 201) << complaint.body;
    const auto complaint_id = complaint.json()["id"].get<std::string>();
    const auto masked_description = "业主来电投诉，回拨 " + other_phone.substr(0, 3) + "****" +
                                    other_phone.substr(7) + " 或座机 028****4321";
    for (const auto& [user, role] : std::vector<std::pair<std::string, std::string>>{
             {"rep-e", "sales_rep"}, {"care-e", "sales_service"}}) {
        const auto one = call("GET", "/api/v1/complaints/" + complaint_id, user, role);
        ASSERT_EQ(one.status, 200) << one.body;
        EXPECT_EQ(one.json()["description"], masked_description) << role;
        const auto list =
            call("GET", "/api/v1/complaints?project_id=" + *project_ + "&limit=500", user, role);
        ASSERT_EQ(list.status, 200) << list.body;
        EXPECT_EQ(list.body.find(other_phone), std::string::npos) << role;
        EXPECT_NE(list.body.find(masked_description), std::string::npos) << role;
    }
    EXPECT_EQ(reads(), 2);
    const auto full = call("GET", "/api/v1/complaints/" + complaint_id, "mgr-d", "sales_manager");
    EXPECT_NE(full.json()["description"].get<std::string>().find(other_phone), std::string::npos);
    EXPECT_EQ(reads(), 3);
    const auto own = call("GET", "/api/v1/complaints/" + complaint_id, "rep-owner-d", "sales_rep");
    EXPECT_NE(own.json()["description"].get<std::string>().find(other_phone), std::string::npos);
    EXPECT_EQ(reads(), 3);
}

// CUS-8: the PII access log is append-only, even for the service's own database user.
TEST_F(PiiAccessApi, PiiAccessLogIsAppendOnly) {
    created("rep-owner-f", unique_mobile());
    ASSERT_EQ(search("%E6%9D%8E", "rep-f", "sales_rep").status, 200);
    ASSERT_GT(rows("pii_access_log"), 0);
    auto& db = stack_->db("customer");
    for (const char* statement : {"UPDATE pii_access_log SET reader_id = 'someone-else'",
                                  "DELETE FROM pii_access_log", "TRUNCATE pii_access_log"}) {
        EXPECT_ANY_THROW(db.transaction([&](sales::db::Tx& tx) { tx.exec(statement); }))
            << statement;
    }
    EXPECT_EQ(rows("pii_access_log", "reader_id = 'someone-else'"), 0);
    EXPECT_GT(rows("pii_access_log"), 0);
}

}  // namespace
