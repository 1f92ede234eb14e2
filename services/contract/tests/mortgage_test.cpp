// The mortgage desk 按揭 without a database (CON-8): the checklist per loan kind, every legal and
// illegal step, submission refused while documents are missing, approval bounds, refusal and
// resubmission to another bank, registration, finance's disbursements and their reversals
// (FIN-2/FIN-3) in both directions, and the deadlines with the overdue flag.
#include <gtest/gtest.h>

#include <algorithm>

#include "domain/mortgage.hpp"
#include "failure_of.hpp"

namespace {
using namespace contract::domain;
using contract::test::failure_of;

constexpr std::int64_t kLoan = 140'000'000;

Date day(const char* text) {
    return *parse_date(text);
}

By by_clerk(const char* note = nullptr) {
    // 2026-05-10 10:00 in Shanghai.
    return {"u-clerk", note ? std::optional<std::string>(note) : std::nullopt,
            sales::shanghai_midnight(day("2026-05-10")) + std::chrono::hours(10)};
}

const Date kToday = day("2026-05-10");

MortgageFile fresh(MortgageSettings settings = {}) {
    MortgageFile m;
    m.id = "m-1";
    m.contract_id = "c-1";
    m.contract_no = "2026-HX01-000001";
    m.project_id = "p-1";
    m.loan_fen = kLoan;
    m.loan_expected_date = "2026-07-01";
    m.signed_on = "2026-05-01";
    opened(m, settings, by_clerk());
    return m;
}

std::vector<DocumentMark> all_received(LoanKind kind) {
    std::vector<DocumentMark> out;
    for (const auto d : required_documents(kind))
        out.push_back({d, true});
    return out;
}

MortgageFile complete(LoanKind kind = LoanKind::commercial) {
    auto m = fresh();
    if (kind == LoanKind::combined)
        loan_changed(m, kind, 40'000'000, 100'000'000, by_clerk());
    else if (kind != LoanKind::commercial)
        loan_changed(m, kind, std::nullopt, std::nullopt, by_clerk());
    documents_recorded(m, all_received(kind), by_clerk());
    return m;
}

MortgageFile submitted_file() {
    auto m = complete();
    submitted(m, "中国建设银行", "成都高新支行", day("2026-05-05"), {}, kToday, by_clerk());
    return m;
}

MortgageFile approved_file(std::int64_t amount = kLoan) {
    auto m = submitted_file();
    approved(m, amount, day("2026-05-08"), kToday, by_clerk());
    return m;
}

MortgageFile registered_file() {
    auto m = approved_file();
    registered(m, "川(2026)成都市不动产证明第0012345号", day("2026-05-09"), kToday, by_clerk());
    return m;
}

// ---- opening and the checklist ----

TEST(MortgageFile, OpensAtSigningWithDocumentsPendingAndTheDeadlineAfterSigning) {
    MortgageFile m;
    m.id = "m-1";
    m.contract_id = "c-1";
    m.loan_fen = kLoan;
    m.loan_expected_date = "2026-07-01";
    m.signed_on = "2026-05-01";
    const auto change = opened(m, {.documents_due_days = 10, .decision_due_days = 20}, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::documents_pending);
    EXPECT_EQ(m.loan_kind, LoanKind::commercial);
    EXPECT_EQ(m.documents_due_on, "2026-05-11");
    EXPECT_FALSE(change.from.has_value());
    EXPECT_EQ(change.version, 1);
    ASSERT_TRUE(change.event);
    EXPECT_EQ(change.event->type, "contract.mortgage.opened");
    EXPECT_EQ(change.event->subject, "m-1");
    EXPECT_EQ(change.event->data["contract_id"], "c-1");
    EXPECT_EQ(change.event->data["loan_fen"], kLoan);
    EXPECT_EQ(change.event->data["documents_complete"], false);
}

TEST(MortgageChecklist, EachLoanKindHasItsFixedDocuments) {
    const auto commercial = required_documents(LoanKind::commercial);
    const auto fund = required_documents(LoanKind::provident_fund);
    const auto combined = required_documents(LoanKind::combined);
    EXPECT_EQ(commercial.size(), 8u);
    EXPECT_EQ(fund.size(), 10u);
    EXPECT_EQ(combined, fund);
    for (const auto d : {MortgageDocument::id_card, MortgageDocument::household_register,
                         MortgageDocument::marriage_certificate, MortgageDocument::income_proof,
                         MortgageDocument::bank_statement, MortgageDocument::purchase_contract,
                         MortgageDocument::down_payment_receipt}) {
        EXPECT_NE(std::find(commercial.begin(), commercial.end(), d), commercial.end())
            << to_string(d);
    }
    EXPECT_EQ(std::find(commercial.begin(), commercial.end(),
                        MortgageDocument::provident_fund_certificate),
              commercial.end());
    EXPECT_EQ(document_label(MortgageDocument::provident_fund_certificate), "公积金缴存证明");
    EXPECT_EQ(document_label(MortgageDocument::id_card), "身份证");
}

TEST(MortgageChecklist, CompleteWhenEveryDocumentIsReceivedAndPendingAgainWhenOneIsWithdrawn) {
    auto m = fresh();
    auto marks = all_received(LoanKind::commercial);
    marks.pop_back();
    auto change = documents_recorded(m, marks, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::documents_pending);
    ASSERT_EQ(missing_documents(m).size(), 1u);
    EXPECT_EQ(missing_documents(m)[0], MortgageDocument::down_payment_receipt);
    EXPECT_EQ(change.event->data["missing_documents"], nlohmann::json({"down_payment_receipt"}));

    change = documents_recorded(m, {{MortgageDocument::down_payment_receipt, true}}, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::documents_complete);
    EXPECT_EQ(change.from, MortgageStatus::documents_pending);
    EXPECT_EQ(change.event->type, "contract.mortgage.documents_recorded");
    EXPECT_EQ(change.event->data["documents_complete"], true);

    documents_recorded(m, {{MortgageDocument::income_proof, false}}, by_clerk("收入证明需重开"));
    EXPECT_EQ(m.status, MortgageStatus::documents_pending);
    EXPECT_EQ(missing_documents(m), std::vector{MortgageDocument::income_proof});
}

TEST(MortgageChecklist, ADocumentOfAnotherLoanKindIsRefused) {
    auto m = fresh();
    EXPECT_EQ(failure_of([&] {
                  documents_recorded(m, {{MortgageDocument::provident_fund_certificate, true}},
                                     by_clerk());
              }),
              "422 document_not_required");
    EXPECT_EQ(m.version, 1);
}

TEST(MortgageLoan, ProvidentFundAddsItsDocumentsAndReopensTheChecklist) {
    auto m = complete();
    ASSERT_EQ(m.status, MortgageStatus::documents_complete);
    const auto change =
        loan_changed(m, LoanKind::provident_fund, std::nullopt, std::nullopt, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::documents_pending);
    EXPECT_EQ(change.event->type, "contract.mortgage.loan_changed");
    EXPECT_EQ(missing_documents(m), (std::vector{MortgageDocument::provident_fund_certificate,
                                                 MortgageDocument::provident_fund_application}));
}

TEST(MortgageLoan, CombinedNeedsTwoPositivePartsThatSumToTheLoan) {
    struct Case {
        LoanKind kind;
        std::optional<std::int64_t> fund, commercial;
        const char* expected;
    };
    const Case cases[] = {
        {LoanKind::combined, 40'000'000, 100'000'000, "none"},
        {LoanKind::combined, 40'000'000, 99'999'999, "422 loan_parts_do_not_sum_to_loan"},
        {LoanKind::combined, 0, kLoan, "422 loan_parts_do_not_sum_to_loan"},
        {LoanKind::combined, std::nullopt, kLoan, "422 loan_parts_do_not_sum_to_loan"},
        {LoanKind::commercial, std::nullopt, std::nullopt, "none"},
        {LoanKind::commercial, 1, std::nullopt, "422 loan_parts_only_for_combined"},
        {LoanKind::provident_fund, std::nullopt, kLoan, "422 loan_parts_only_for_combined"},
    };
    for (const auto& c : cases) {
        auto m = fresh();
        EXPECT_EQ(failure_of([&] { loan_changed(m, c.kind, c.fund, c.commercial, by_clerk()); }),
                  c.expected)
            << to_string(c.kind);
    }
}

// ---- submission, decision, registration ----

TEST(MortgageSubmission, RefusedWhileDocumentsAreMissingNamingThem) {
    auto m = fresh();
    documents_recorded(m, {{MortgageDocument::id_card, true}}, by_clerk());
    try {
        submitted(m, "招商银行", std::nullopt, kToday, {}, kToday, by_clerk());
        FAIL() << "submitted with missing documents";
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.code(), "mortgage_documents_incomplete");
        EXPECT_EQ(sales::http_status(e.kind()), 422);
        EXPECT_EQ(e.details()["missing"].size(), 7u);
        EXPECT_NE(std::string(e.what()).find("户口簿"), std::string::npos) << e.what();
    }
    EXPECT_EQ(m.status, MortgageStatus::documents_pending);
}

TEST(MortgageSubmission, SetsTheBankAndTheDecisionDeadline) {
    auto m = complete();
    const auto change =
        submitted(m, "中国建设银行", "成都高新支行", day("2026-05-05"),
                  {.documents_due_days = 15, .decision_due_days = 20}, kToday, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::submitted);
    EXPECT_EQ(m.bank_name, "中国建设银行");
    EXPECT_EQ(m.decision_due_on, "2026-05-25");
    EXPECT_EQ(m.submissions, 1);
    EXPECT_EQ(change.event->type, "contract.mortgage.submitted");
    EXPECT_EQ(change.event->data["resubmission"], false);
}

TEST(MortgageSubmission, DatesMayNotLieInTheFutureOrBeforeSigning) {
    auto m = complete();
    EXPECT_EQ(failure_of([&] {
                  submitted(m, "B", std::nullopt, day("2026-05-11"), {}, kToday, by_clerk());
              }),
              "400 validation_failed");
    EXPECT_EQ(failure_of([&] {
                  submitted(m, "B", std::nullopt, day("2026-04-30"), {}, kToday, by_clerk());
              }),
              "400 validation_failed");
    EXPECT_EQ(m.status, MortgageStatus::documents_complete);
}

TEST(MortgageDecision, ApprovedAmountIsPositiveAndAtMostThePlansLoan) {
    struct Case {
        std::int64_t amount;
        const char* on;
        const char* expected;
    };
    const Case cases[] = {
        {kLoan, "2026-05-08", "none"},
        {kLoan - 10'000'000, "2026-05-08", "none"},
        {kLoan + 1, "2026-05-08", "422 approved_amount_exceeds_loan"},
        {0, "2026-05-08", "400 validation_failed"},
        {kLoan, "2026-05-04", "400 validation_failed"},  // before the submission
        {kLoan, "2026-05-11", "400 validation_failed"},  // tomorrow
    };
    for (const auto& c : cases) {
        auto m = submitted_file();
        EXPECT_EQ(failure_of([&] { approved(m, c.amount, day(c.on), kToday, by_clerk()); }),
                  c.expected)
            << c.amount << " " << c.on;
    }
    auto m = approved_file(kLoan - 10'000'000);
    EXPECT_EQ(m.status, MortgageStatus::approved);
    EXPECT_EQ(to_json(m, kToday)["shortfall_fen"], 10'000'000);
    EXPECT_EQ(expected_disbursement(m), kLoan - 10'000'000);
}

TEST(MortgageDecision, ARefusalNeedsAReasonAndTheFileMayGoToAnotherBank) {
    auto m = submitted_file();
    EXPECT_EQ(failure_of([&] { refused(m, kToday, kToday, by_clerk()); }), "400 validation_failed");
    const auto change = refused(m, kToday, kToday, by_clerk("征信不符合要求"));
    EXPECT_EQ(m.status, MortgageStatus::refused);
    EXPECT_EQ(m.refusal_reason, "征信不符合要求");
    EXPECT_EQ(change.event->type, "contract.mortgage.refused");
    // Documents may change after a refusal; the status stays refused.
    documents_recorded(m, {{MortgageDocument::bank_statement, true}}, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::refused);
    const auto again =
        submitted(m, "招商银行", std::nullopt, kToday, {}, kToday, by_clerk("换行重新提交"));
    EXPECT_EQ(m.status, MortgageStatus::submitted);
    EXPECT_EQ(m.bank_name, "招商银行");
    EXPECT_EQ(m.bank_branch, std::nullopt);
    EXPECT_EQ(m.submissions, 2);
    EXPECT_EQ(again.event->data["resubmission"], true);
    EXPECT_EQ(again.details["previous_bank_name"], "中国建设银行");
}

TEST(MortgageSteps, EveryIllegalStepIsAConflict) {
    const auto invalid = "409 invalid_transition";
    {
        auto m = fresh();
        EXPECT_EQ(failure_of([&] { approved(m, kLoan, kToday, kToday, by_clerk()); }), invalid);
        EXPECT_EQ(failure_of([&] { refused(m, kToday, kToday, by_clerk("x")); }), invalid);
        EXPECT_EQ(failure_of([&] { registered(m, "R", kToday, kToday, by_clerk()); }), invalid);
    }
    {
        auto m = submitted_file();
        EXPECT_EQ(failure_of([&] {
                      documents_recorded(m, {{MortgageDocument::id_card, false}}, by_clerk());
                  }),
                  invalid);
        EXPECT_EQ(failure_of([&] {
                      loan_changed(m, LoanKind::provident_fund, std::nullopt, std::nullopt,
                                   by_clerk());
                  }),
                  invalid);
        EXPECT_EQ(
            failure_of([&] { submitted(m, "B", std::nullopt, kToday, {}, kToday, by_clerk()); }),
            invalid);
        EXPECT_EQ(failure_of([&] { registered(m, "R", kToday, kToday, by_clerk()); }), invalid);
    }
    {
        auto m = approved_file();
        EXPECT_EQ(failure_of([&] { refused(m, kToday, kToday, by_clerk("x")); }), invalid);
        EXPECT_EQ(failure_of([&] { approved(m, kLoan, kToday, kToday, by_clerk()); }), invalid);
    }
    {
        auto m = registered_file();
        EXPECT_EQ(failure_of([&] { registered(m, "R2", kToday, kToday, by_clerk()); }), invalid);
    }
}

TEST(MortgageRegistration, RecordsNumberAndDateAfterTheApproval) {
    auto m = approved_file();
    EXPECT_EQ(failure_of([&] { registered(m, "R", day("2026-05-07"), kToday, by_clerk()); }),
              "400 validation_failed");
    const auto change = registered(m, "抵押-001", day("2026-05-09"), kToday, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::registered);
    EXPECT_EQ(m.registration_no, "抵押-001");
    EXPECT_EQ(change.event->type, "contract.mortgage.registered");
    EXPECT_EQ(change.version, m.version);
}

// ---- disbursement from finance, both directions ----

TEST(MortgageDisbursement, TheFullLoanMarksTheFileDisbursedAndItsReversalPutsItBack) {
    auto m = registered_file();
    const auto version = m.version;
    const auto change = disbursement_recorded(m, "e-1", kLoan, "2026-05-10", by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::disbursed);
    EXPECT_EQ(m.disbursed_fen, kLoan);
    EXPECT_EQ(m.disbursed_on, "2026-05-10");
    EXPECT_EQ(change.event->type, "contract.mortgage.disbursed");
    EXPECT_EQ(change.event->data["entry_id"], "e-1");
    EXPECT_EQ(change.version, version + 1);
    EXPECT_FALSE(is_overdue(m, day("2030-01-01")));

    const auto back = disbursement_reversed(m, "e-2", kLoan, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::registered);
    EXPECT_EQ(m.disbursed_fen, 0);
    EXPECT_EQ(m.disbursed_on, std::nullopt);
    EXPECT_EQ(back.event->type, "contract.mortgage.disbursement_reversed");
    EXPECT_EQ(back.from, MortgageStatus::disbursed);
    EXPECT_EQ(back.to, MortgageStatus::registered);
}

TEST(MortgageDisbursement, ACombinedLoanIsDisbursedWhenBothPartsArrive) {
    auto m = complete(LoanKind::combined);
    submitted(m, "中国银行", std::nullopt, kToday, {}, kToday, by_clerk());
    approved(m, kLoan, kToday, kToday, by_clerk());
    auto change = disbursement_recorded(m, "e-fund", 40'000'000, "2026-05-10", by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::approved);
    EXPECT_EQ(change.event->type, "contract.mortgage.disbursement_recorded");
    EXPECT_EQ(change.event->data["complete"], false);
    change = disbursement_recorded(m, "e-bank", 100'000'000, "2026-05-10", by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::disbursed);
    EXPECT_EQ(change.event->type, "contract.mortgage.disbursed");
    // Reversing one part: back to approved, the other part still counted.
    disbursement_reversed(m, "e-r", 40'000'000, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::approved);
    EXPECT_EQ(m.disbursed_fen, 100'000'000);
}

TEST(MortgageDisbursement, MoneyBeforeTheClerksStepsIsRecordedAndTheStepsCanFollow) {
    auto m = submitted_file();
    disbursement_recorded(m, "e-1", kLoan, "2026-05-10", by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::disbursed);
    EXPECT_EQ(failure_of([&] { registered(m, "R", kToday, kToday, by_clerk()); }),
              "409 invalid_transition");  // the approval first
    approved(m, kLoan, kToday, kToday, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::disbursed);
    registered(m, "R-1", kToday, kToday, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::disbursed);
    EXPECT_EQ(m.registration_no, "R-1");
    disbursement_reversed(m, "e-2", kLoan, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::registered);
}

TEST(MortgageDisbursement, AReversalOfAPartLeavesADisbursedFileThatStillHasEnough) {
    auto m = approved_file();
    disbursement_recorded(m, "e-1", kLoan, "2026-05-10", by_clerk());
    disbursement_recorded(m, "e-2", 1'000, "2026-05-10", by_clerk());  // paid twice by mistake
    EXPECT_EQ(m.status, MortgageStatus::disbursed);
    disbursement_reversed(m, "e-3", 1'000, by_clerk());
    EXPECT_EQ(m.status, MortgageStatus::disbursed);
    EXPECT_EQ(m.disbursed_fen, kLoan);
}

// ---- deadlines ----

TEST(MortgageDeadlines, EachStageHasItsDeadlineAndIsOverdueTheDayAfter) {
    struct Case {
        const char* stage;
        MortgageFile file;
        std::optional<std::string> due;
    };
    auto refused_file = submitted_file();
    refused(refused_file, kToday, kToday, by_clerk("收入不足"));
    auto disbursed_file = registered_file();
    disbursement_recorded(disbursed_file, "e", kLoan, "2026-05-10", by_clerk());
    const Case cases[] = {
        {"documents_pending", fresh(), "2026-05-16"},  // signed 05-01 + 15 days
        {"documents_complete", complete(), "2026-05-16"},
        {"submitted", submitted_file(), "2026-06-04"},  // 05-05 + 30 days
        {"refused", refused_file, "2026-07-01"},        // the loan's expected date
        {"approved", approved_file(), "2026-07-01"},
        {"registered", registered_file(), "2026-07-01"},
        {"disbursed", disbursed_file, std::nullopt},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(to_string(c.file.status), c.stage);
        EXPECT_EQ(current_due_on(c.file), c.due) << c.stage;
        if (c.due) {
            const auto due = *parse_date(*c.due);
            EXPECT_FALSE(is_overdue(c.file, due)) << c.stage;
            EXPECT_TRUE(is_overdue(c.file, Date{std::chrono::sys_days(due) + std::chrono::days(1)}))
                << c.stage;
        }
    }
}

TEST(MortgageHistory, EveryStepRecordsActorVersionsAndTheEventOfTheFile) {
    auto m = fresh();
    const auto change =
        documents_recorded(m, {{MortgageDocument::id_card, true}}, by_clerk("原件已核对"));
    EXPECT_EQ(change.actor, "u-clerk");
    EXPECT_EQ(change.reason, "原件已核对");
    EXPECT_EQ(change.from_version, 1);
    EXPECT_EQ(change.version, 2);
    EXPECT_EQ(change.event->sequence, 2);
    EXPECT_EQ(change.event->data["mortgage_id"], "m-1");
    EXPECT_EQ(change.event->data["note"], "原件已核对");
    EXPECT_EQ(change.details["received"], nlohmann::json({"id_card"}));
}

}  // namespace
