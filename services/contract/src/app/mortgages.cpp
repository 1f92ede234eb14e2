// CON-8 the mortgage desk 按揭: files opened at signing, the clerk's steps, finance's loan
// disbursements (FIN-2) and their reversals (FIN-3).
#include "app/mortgages.hpp"

#include <cstdlib>

#include "adapters/contract_store.hpp"
#include "adapters/project_store.hpp"
#include "app/event_fields.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {
using domain::MortgageFile;
using nlohmann::json;
using sales::Failure;
using sales::db::Tx;

[[noreturn]] void mortgage_not_found(const std::string& id) {
    throw Failure(Failure::Kind::not_found, "mortgage_not_found", "no mortgage file with id " + id,
                  {{"mortgage_id", id}});
}

// The file as the API shows it: with its contract's state, the checklist's trail (who marked
// each document, when), the disbursements and the history.
json mortgage_document(Tx& tx, const MortgageFile& m, sales::Date today, bool with_history) {
    auto doc = domain::to_json(m, today);
    const auto ref = mortgage_store::contract_ref(tx, m.contract_id);
    doc["contract_status"] = ref.status;
    doc["customer_id"] = ref.customer_id;
    doc["unit_id"] = ref.unit_id;
    doc["handover_state"] = ref.handover_state;
    const auto trail = mortgage_store::document_trail(tx, m.id);
    for (auto& d : doc["documents"]) {
        const auto it = trail.find(d["kind"].get<std::string>());
        d["recorded_by"] = it == trail.end() ? json(nullptr) : (*it)["recorded_by"];
        d["recorded_at"] = it == trail.end() ? json(nullptr) : (*it)["recorded_at"];
    }
    doc["disbursements"] = mortgage_store::disbursements(tx, m.id);
    if (with_history)
        doc["history"] = mortgage_store::history(tx, m.id);
    return doc;
}

// The file locked, in the caller's projects, with the loan refreshed from its contract's
// current plan (CON-5 amendments may change it); Failure conflict "contract_cancelled" for a
// cancelled contract.
MortgageFile load_for_change(Tx& tx, const sales::Principal& caller, const std::string& id) {
    auto m = mortgage_store::find(tx, id, /*for_update=*/true);
    if (!m || !caller.in_project(m->project_id))
        mortgage_not_found(id);
    const auto c = contract_store::find(tx, m->contract_id, /*for_update=*/false);
    if (!c)
        throw std::logic_error("mortgage file " + id + " without its contract");
    if (c->status == domain::ContractStatus::cancelled) {
        sales::fail_conflict("contract_cancelled",
                             "contract " + c->contract_no +
                                 " was cancelled (CON-6): its mortgage file takes no more steps",
                             {{"contract_id", c->id}, {"mortgage_id", id}});
    }
    if (c->terms.plan.kind == domain::PaymentPlan::mortgage && c->terms.plan.loan_fen > 0) {
        m->loan_fen = c->terms.plan.loan_fen;
        m->loan_expected_date = c->terms.plan.loan_expected_date;
    }
    return std::move(*m);
}

// Runs `decide(file)` on the locked file as the caller and saves the change; returns the file.
template <class Decide>
json change_file(const Context& ctx, const sales::Principal& caller, const std::string& id,
                 Decide decide) {
    return ctx.db.transaction([&](Tx& tx) {
        auto m = load_for_change(tx, caller, id);
        const auto change = decide(tx, m);
        mortgage_store::save(tx, m, change);
        return mortgage_document(tx, m, ctx.today(), true);
    });
}

}  // namespace

void open_mortgage_file(Tx& tx, const domain::Contract& c, const domain::By& by) {
    const auto& plan = c.terms.plan;
    if (plan.kind != domain::PaymentPlan::mortgage || plan.loan_fen <= 0)
        return;
    MortgageFile m;
    m.id = sales::new_uuid();
    m.contract_id = c.id;
    m.contract_no = c.contract_no;
    m.project_id = c.project_id;
    m.loan_fen = plan.loan_fen;
    m.loan_expected_date = plan.loan_expected_date;
    m.signed_on = sales::to_string(sales::shanghai_date(by.at));
    const auto change = domain::opened(
        m, mortgage_store::settings(tx, c.project_id),
        {by.actor, "contract " + c.contract_no + " signed with a mortgage plan", by.at});
    mortgage_store::insert(tx, m);
    mortgage_store::save(tx, m, change);
}

json find_mortgage(const Context& ctx, const sales::Principal& caller, const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto m = mortgage_store::find(tx, id, /*for_update=*/false);
        if (!m || !caller.in_project(m->project_id))
            mortgage_not_found(id);
        return mortgage_document(tx, *m, ctx.today(), true);
    });
}

json mortgage_of_contract(Tx& tx, const std::string& contract_id, sales::Date today) {
    const auto m = mortgage_store::find_by_contract(tx, contract_id, /*for_update=*/false);
    return m ? mortgage_document(tx, *m, today, false) : json(nullptr);
}

json list_mortgages(const Context& ctx, const sales::Principal& caller,
                    const MortgageListFilter& filter) {
    if (filter.project_id && !caller.in_project(*filter.project_id)) {
        throw Failure(Failure::Kind::not_found, "project_not_found",
                      "no project with id " + *filter.project_id,
                      {{"project_id", *filter.project_id}});
    }
    return ctx.db.transaction([&](Tx& tx) {
        return mortgage_store::list(tx, filter, project_scope(caller), ctx.today());
    });
}

json set_mortgage_loan(const Context& ctx, const sales::Principal& caller, const std::string& id,
                       domain::LoanKind kind, std::optional<std::int64_t> provident_fund_fen,
                       std::optional<std::int64_t> commercial_fen,
                       const std::optional<std::string>& note) {
    return change_file(ctx, caller, id, [&](Tx&, MortgageFile& m) {
        return domain::loan_changed(m, kind, provident_fund_fen, commercial_fen,
                                    ctx.by(caller.user_id, note));
    });
}

json record_mortgage_documents(const Context& ctx, const sales::Principal& caller,
                               const std::string& id,
                               const std::vector<domain::DocumentMark>& marks,
                               const std::optional<std::string>& note) {
    return change_file(ctx, caller, id, [&](Tx& tx, MortgageFile& m) {
        auto change = domain::documents_recorded(m, marks, ctx.by(caller.user_id, note));
        mortgage_store::mark_documents(tx, m.id, marks, caller.user_id);
        return change;
    });
}

json submit_mortgage(const Context& ctx, const sales::Principal& caller, const std::string& id,
                     const std::string& bank_name, const std::optional<std::string>& bank_branch,
                     sales::Date submitted_on, const std::optional<std::string>& note) {
    return change_file(ctx, caller, id, [&](Tx& tx, MortgageFile& m) {
        return domain::submitted(m, bank_name, bank_branch, submitted_on,
                                 mortgage_store::settings(tx, m.project_id), ctx.today(),
                                 ctx.by(caller.user_id, note));
    });
}

json approve_mortgage(const Context& ctx, const sales::Principal& caller, const std::string& id,
                      std::int64_t approved_fen, sales::Date approved_on,
                      const std::optional<std::string>& note) {
    return change_file(ctx, caller, id, [&](Tx&, MortgageFile& m) {
        return domain::approved(m, approved_fen, approved_on, ctx.today(),
                                ctx.by(caller.user_id, note));
    });
}

json refuse_mortgage(const Context& ctx, const sales::Principal& caller, const std::string& id,
                     sales::Date refused_on, const std::string& reason) {
    return change_file(ctx, caller, id, [&](Tx&, MortgageFile& m) {
        return domain::refused(m, refused_on, ctx.today(), ctx.by(caller.user_id, reason));
    });
}

json register_mortgage(const Context& ctx, const sales::Principal& caller, const std::string& id,
                       const std::string& registration_no, sales::Date registered_on,
                       const std::optional<std::string>& note) {
    return change_file(ctx, caller, id, [&](Tx&, MortgageFile& m) {
        return domain::registered(m, registration_no, registered_on, ctx.today(),
                                  ctx.by(caller.user_id, note));
    });
}

json mortgage_settings(const Context& ctx, const sales::Principal& caller,
                       const std::string& project_id) {
    if (!sales::is_uuid(project_id) || !caller.in_project(project_id))
        sales::fail_not_found("project", project_id);
    return ctx.db.transaction([&](Tx& tx) {
        if (!project_store::find(tx, project_id, /*for_update=*/false))
            sales::fail_not_found("project", project_id);
        return mortgage_store::settings_json(project_id, mortgage_store::settings(tx, project_id));
    });
}

json change_mortgage_settings(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id,
                              const mortgage_store::SettingsChange& change) {
    if (!sales::is_uuid(project_id) || !caller.in_project(project_id))
        sales::fail_not_found("project", project_id);
    return ctx.db.transaction([&](Tx& tx) {
        if (!project_store::find(tx, project_id, /*for_update=*/false))
            sales::fail_not_found("project", project_id);
        auto settings = mortgage_store::change_settings(tx, project_id, change, caller.user_id);
        sales::log::info("mortgage settings changed",
                         {{"project_id", project_id}, {"by", caller.user_id}});
        return settings;
    });
}

void apply_payment_recorded(const Context& ctx, Tx& tx, const sales::bus::Event& event) {
    const auto& d = event.data;
    if (!d.is_object() || !d.contains("category") || d["category"] != kLoanDisbursement)
        return;
    const auto contract_id = opt_uuid_field(event, "contract_id");
    const auto entry_id = uuid_field(event, "entry_id");
    if (!contract_id)
        throw poison(event, "a loan_disbursement entry must name its contract (data.contract_id)");
    const auto amount = positive_field(event, "amount_fen");
    const auto paid_at_text = text_field(event, "paid_at");
    const auto paid_at = sales::parse_rfc3339(paid_at_text);
    if (!paid_at)
        throw poison(event, "data.paid_at must be an RFC 3339 timestamp");
    std::optional<std::string> receipt_no;
    if (d.contains("receipt_no") && d["receipt_no"].is_string())
        receipt_no = d["receipt_no"].get<std::string>();
    auto m = mortgage_store::find_by_contract(tx, *contract_id, /*for_update=*/true);
    json fields = {{"contract_id", *contract_id}, {"entry_id", entry_id}, {"amount_fen", amount}};
    if (!m) {
        if (!contract_store::find(tx, *contract_id, /*for_update=*/false))
            throw poison(event, "no contract " + *contract_id);
        sales::log::warn("loan disbursement for a contract without a mortgage file: ignored",
                         fields);
        return;
    }
    if (!mortgage_store::record_disbursement(
            tx, {entry_id, m->id, amount, receipt_no, paid_at_text, event.id, std::nullopt})) {
        sales::log::warn("loan disbursement already applied; ignored", fields);
        return;
    }
    const auto paid_on = sales::to_string(sales::shanghai_date(*paid_at));
    const auto change = domain::disbursement_recorded(
        *m, entry_id, amount, paid_on,
        ctx.by(kFinanceActor,
               "loan disbursement " + receipt_no.value_or(entry_id) + " recorded by finance"));
    mortgage_store::save(tx, *m, change);
    fields["status"] = domain::to_string(m->status);
    fields["disbursed_fen"] = m->disbursed_fen;
    sales::log::info("loan disbursement recorded on the mortgage file (CON-8)", fields);
}

void apply_disbursement_reversed(const Context& ctx, Tx& tx, const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto contract_id = opt_uuid_field(event, "contract_id");
    if (!contract_id)
        return;
    const auto entry_id = uuid_field(event, "entry_id");
    const auto reversed_entry = uuid_field(event, "reverses_entry_id");
    if (!d.contains("amount_fen") || !d["amount_fen"].is_number_integer() ||
        d["amount_fen"].get<std::int64_t>() == 0) {
        throw poison(event, "data.amount_fen must be a non-zero integer (fen)");
    }
    json fields = {{"contract_id", *contract_id},
                   {"entry_id", entry_id},
                   {"reverses_entry_id", reversed_entry}};
    const auto disbursement = mortgage_store::lock_disbursement(tx, reversed_entry);
    if (!disbursement) {
        if (!mortgage_store::find_by_contract(tx, *contract_id, /*for_update=*/false)) {
            sales::log::info("loan disbursement reversed on a contract without a mortgage file",
                             fields);
            return;
        }
        // finance.payment.recorded has its own consumer: it may not have been applied yet.
        throw sales::bus::RetryLater("loan disbursement " + reversed_entry +
                                     " not applied yet; the reversal waits for it");
    }
    if (disbursement->reversed_by_entry_id) {
        sales::log::warn("loan disbursement reversal already applied; ignored", fields);
        return;
    }
    mortgage_store::mark_disbursement_reversed(tx, reversed_entry, entry_id);
    auto m = mortgage_store::find(tx, disbursement->mortgage_id, /*for_update=*/true);
    if (!m)
        throw std::logic_error("disbursement without its mortgage file");
    // The reversal is the recorded amount (finance books −original).
    const auto amount = std::llabs(d["amount_fen"].get<std::int64_t>());
    if (amount != disbursement->amount_fen)
        sales::log::warn("reversal amount differs from the disbursement; the recorded one counts",
                         fields);
    const auto change = domain::disbursement_reversed(
        *m, entry_id, disbursement->amount_fen,
        ctx.by(kFinanceActor, "loan disbursement " +
                                  disbursement->receipt_no.value_or(reversed_entry) +
                                  " reversed by finance (FIN-3)"));
    mortgage_store::save(tx, *m, change);
    fields["status"] = domain::to_string(m->status);
    sales::log::info("loan disbursement reversed on the mortgage file (FIN-3)", fields);
}

}  // namespace contract::app
