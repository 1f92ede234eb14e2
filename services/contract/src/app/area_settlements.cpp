// CON-10 area settlement 面积补差: when inventory fixes a unit's surveyed title areas, the unit's
// live contract is settled by REG-1 on the gross and on the internal area; the one its pricing
// basis names applies.
#include "adapters/area_settlement_store.hpp"
#include "adapters/contract_store.hpp"
#include "app/contracts.hpp"
#include "app/event_fields.hpp"
#include "domain/area_settlement.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::app {

void apply_title_area_recorded(sales::db::Tx& tx, const sales::bus::Event& event) {
    if (!event.data.is_object())
        throw poison(event, "data must be an object");
    const auto unit_id = uuid_field(event, "unit_id");
    const auto survey_id = uuid_field(event, "survey_id");
    const auto title_gross = positive_field(event, "title_gross_area_centi_m2");
    const auto title_internal = positive_field(event, "title_internal_area_centi_m2");

    const auto contract_id = area_settlement_store::lock_live_contract_of_unit(tx, unit_id);
    if (!contract_id) {
        // Unsold (or only subscribed) units: the title area is on the unit for the deal to come.
        sales::log::info("title area of a unit without a live contract: nothing to settle",
                         {{"unit_id", unit_id}, {"survey_id", survey_id}});
        return;
    }
    if (area_settlement_store::has_binding_settlement(tx, *contract_id)) {
        // The buyer chose or signed a supplementary agreement on an earlier survey: that binds;
        // a different area now needs an amendment.
        sales::log::warn(
            "title area recorded for a contract whose settlement binds already; "
            "not re-settled (an amendment must change it)",
            {{"contract_id", *contract_id}, {"survey_id", survey_id}});
        return;
    }
    const auto c = contract_store::find(tx, *contract_id, /*for_update=*/false);
    if (!c)
        throw std::logic_error("contract " + *contract_id + " vanished in its own transaction");
    if (c->areas.gross_area_centi_m2 <= 0) {
        // Signed before areas were recorded on deals: an operator must settle it by hand.
        throw poison(event, "contract " + c->contract_no +
                                " has no recorded contract area; REG-1 cannot be computed (settle "
                                "it by hand)");
    }
    area_settlement_store::NewSettlement s;
    s.id = sales::new_uuid();
    s.contract_id = c->id;
    s.unit_id = unit_id;
    s.survey_id = survey_id;
    s.pricing_basis = domain::to_string(c->pricing_basis);
    s.price_fen = c->terms.price_fen;
    const auto gross =
        domain::settle_area(c->terms.price_fen, c->areas.gross_area_centi_m2, title_gross);
    s.gross = domain::to_json(gross);
    std::optional<domain::AreaSettlement> internal;
    if (c->areas.internal_area_centi_m2 > 0) {
        internal = domain::settle_area(c->terms.price_fen, c->areas.internal_area_centi_m2,
                                       title_internal);
        s.internal = domain::to_json(*internal);
    }
    const auto& applied =
        c->pricing_basis == domain::PricingBasis::internal && internal ? *internal : gross;
    s.status = domain::initial_settlement_status(applied);
    if (!area_settlement_store::insert(tx, s))
        return;  // this survey was settled for the contract already
    sales::bus::outbox_append(tx, sales::bus::make_event("contract", kAreaSettlementComputed, c->id,
                                                         area_settlement_store::count(tx, c->id),
                                                         {{"contract_id", c->id},
                                                          {"contract_no", c->contract_no},
                                                          {"project_id", c->project_id},
                                                          {"unit_id", unit_id},
                                                          {"settlement_id", s.id},
                                                          {"survey_id", survey_id},
                                                          {"pricing_basis", s.pricing_basis},
                                                          {"price_fen", s.price_fen},
                                                          {"applied", domain::to_json(applied)},
                                                          {"status", s.status}}));
}

}  // namespace contract::app
