// GET /api/v1/customers:lookup: several customers' display data at once (the contract search
// 合同查询 shows its buyers through it), masked by CUS-8's list rule: the owning rep sees the
// phone, another rep and even customer.pii.read see the mask (a full read of a non-owned record
// goes through GET /api/v1/customers/{id}, audit-logged); project scope applied.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <set>

#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"

namespace {
using nlohmann::json;
using sales::test::expect_error;
using sales::test::Stack;

class CustomerLookupApi : public sales::test::StackSuite<CustomerLookupApi> {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("cus_lookup", {"customer"});
        project_ = new std::string(stack_->announce_project("customer", "LK01", "锦城苑"));
        other_project_ = new std::string(stack_->announce_project("customer", "LK02", "锦江苑"));
    }
    static void TearDownTestSuite() {
        delete project_;
        delete other_project_;
        StackSuite::TearDownTestSuite();
    }

    static std::string unique_mobile() {
        static std::atomic<int> n{0};
        const auto tail = std::to_string(10'000'000 + (std::rand() % 80'000'000) + (++n));
        return "136" + tail.substr(tail.size() - 8);
    }
    static json created(const std::string& rep, const std::string& project,
                        const std::string& phone, const std::string& name) {
        const json body = {{"project_id", project}, {"name", name},
                           {"phone", phone},        {"address", "成都市锦江区红星路 88 号"},
                           {"channel", "visit"},    {"first_event", {{"kind", "visit"}}}};
        const auto r = stack_->call("customer", "POST", "/api/v1/customers", body,
                                    Stack::as(rep, {"sales_rep"}, {project}));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? r.json() : json::object();
    }
    static sales::http::ClientResponse lookup(const std::string& ids, const std::string& user,
                                              const std::string& role,
                                              std::vector<std::string> projects = {"*"}) {
        return stack_->call("customer", "GET", "/api/v1/customers:lookup?ids=" + ids, nullptr,
                            Stack::as(user, {role}, std::move(projects)));
    }
    static std::map<std::string, json> by_id(const sales::http::ClientResponse& r) {
        std::map<std::string, json> out;
        EXPECT_EQ(r.status, 200) << r.body;
        if (r.status == 200) {
            const auto body = r.json();
            for (const auto& item : body["items"])
                out[item["id"].get<std::string>()] = item;
        }
        return out;
    }
    static std::int64_t pii_log_rows() {
        return stack_->count("customer", "SELECT count(*) FROM pii_access_log");
    }

    static inline std::string* project_ = nullptr;
    static inline std::string* other_project_ = nullptr;
};

std::string masked(const std::string& phone) {
    return phone.substr(0, 3) + "****" + phone.substr(7);
}

// CUS-8: owner rep → full phone; another rep → masked; customer.pii.read (sales manager) →
// masked too (a list, not a detail read), and nothing is written to the PII access log.
TEST_F(CustomerLookupApi, OwnerSeesThePhoneOtherRepAndPiiReaderSeeTheMaskCus8) {
    const auto phone_a = unique_mobile();
    const auto phone_b = unique_mobile();
    const std::string a = created("rep-lk-a", *project_, phone_a, "王先生")["id"];
    const std::string b = created("rep-lk-b", *project_, phone_b, "赵女士")["id"];
    const auto ids = a + "," + b;
    const auto log_before = pii_log_rows();

    auto seen = by_id(lookup(ids, "rep-lk-a", "sales_rep"));
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[a]["phone"], phone_a);  // the owner
    EXPECT_EQ(seen[a]["pii_masked"], false);
    EXPECT_EQ(seen[a]["name"], "王先生");
    EXPECT_EQ(seen[a]["owner_id"], "rep-lk-a");
    EXPECT_EQ(seen[a]["project_id"], *project_);
    EXPECT_EQ(seen[a]["archived"], false);
    EXPECT_EQ(seen[b]["phone"], masked(phone_b));  // rep-lk-b's customer
    EXPECT_EQ(seen[b]["pii_masked"], true);
    // Only display data: no ID number, address or needs, masked or not.
    std::set<std::string> keys;
    for (const auto& [k, v] : seen[a].items())
        keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"id", "project_id", "name", "phone", "pii_masked",
                                           "owner_id", "stage", "archived"}));

    seen = by_id(lookup(ids, "rep-lk-b", "sales_rep"));
    EXPECT_EQ(seen[a]["phone"], masked(phone_a));
    EXPECT_EQ(seen[b]["phone"], phone_b);

    for (const char* role : {"sales_manager", "sales_service", "admin"}) {
        seen = by_id(lookup(ids, std::string("reader-") + role, role));
        ASSERT_EQ(seen.size(), 2u) << role;
        EXPECT_EQ(seen[a]["phone"], masked(phone_a)) << role;
        EXPECT_EQ(seen[b]["phone"], masked(phone_b)) << role;
        EXPECT_EQ(seen[a]["pii_masked"], true) << role;
    }
    EXPECT_EQ(pii_log_rows(), log_before);  // no full PII left the service
}

// Project scope (SEC-1): customers of other projects and unknown ids are simply absent; roles
// that do not read customers get 403; a malformed list is a 400.
TEST_F(CustomerLookupApi, ScopeRolesAndBadInput) {
    const std::string here = created("rep-lk-c", *project_, unique_mobile(), "钱先生")["id"];
    const std::string there = created("rep-lk-d", *other_project_, unique_mobile(), "孙女士")["id"];
    const auto unknown = sales::new_uuid();
    const auto ids = here + "," + there + "," + unknown + "," + here;

    auto seen = by_id(lookup(ids, "rep-lk-c", "sales_rep", {*project_}));
    EXPECT_EQ(seen.size(), 1u);
    EXPECT_TRUE(seen.contains(here));
    seen = by_id(lookup(ids, "mgr", "sales_manager"));
    EXPECT_EQ(seen.size(), 2u);
    EXPECT_TRUE(by_id(lookup(here, "rep-x", "sales_rep", {sales::new_uuid()})).empty());

    for (const char* role : {"gm", "handover_clerk", "finance_director"})
        expect_error(lookup(here, "someone", role), 403, "forbidden");
    // CON-11: the cashier and the finance supervisor name the members of referral points, masked.
    for (const char* role : {"cashier", "finance_supervisor"}) {
        seen = by_id(lookup(here, "someone", role));
        ASSERT_EQ(seen.size(), 1u) << role;
        EXPECT_EQ(seen.at(here)["pii_masked"], true) << role;
    }
    expect_error(lookup("", "rep-lk-c", "sales_rep"), 400, "validation_failed");
    expect_error(lookup("not-a-uuid", "rep-lk-c", "sales_rep"), 400, "validation_failed");
    expect_error(lookup(here + ",", "rep-lk-c", "sales_rep"), 400, "validation_failed");
    expect_error(stack_->call("customer", "GET", "/api/v1/customers:lookup", nullptr,
                              Stack::as("rep-lk-c", {"sales_rep"})),
                 400, "validation_failed");
    std::string many;
    for (int i = 0; i < 101; ++i)
        many += (i ? "," : "") + sales::new_uuid();
    expect_error(lookup(many, "rep-lk-c", "sales_rep"), 400, "validation_failed");
    std::string hundred;
    for (int i = 0; i < 99; ++i)
        hundred += sales::new_uuid() + ",";
    EXPECT_EQ(by_id(lookup(hundred + here, "rep-lk-c", "sales_rep")).size(), 1u);
}

}  // namespace
