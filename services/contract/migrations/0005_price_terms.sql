-- Contract price terms (CON-10, REG-1): the areas the price was agreed on, taken from the unit
-- when it is held (subscription, swap) and fixed on the contract at signing. REG-1's area
-- settlement compares the surveyed title area with these. NULL: a deal made before the areas
-- were recorded.
ALTER TABLE subscriptions
    ADD COLUMN gross_area_centi_m2 bigint NULL CHECK (gross_area_centi_m2 > 0),
    ADD COLUMN internal_area_centi_m2 bigint NULL CHECK (internal_area_centi_m2 > 0);

-- pricing_basis: the area the price is per (计价方式); inventory prices units on the gross
-- area. unit_price_fen_per_m2 follows the price (amendments change it): price × 100 ÷ the
-- basis area in centi-m², rounded half up to the fen.
ALTER TABLE contracts
    ADD COLUMN pricing_basis text NOT NULL DEFAULT 'gross'
        CHECK (pricing_basis IN ('gross', 'internal')),
    ADD COLUMN contract_gross_area_centi_m2 bigint NULL
        CHECK (contract_gross_area_centi_m2 > 0),
    ADD COLUMN contract_internal_area_centi_m2 bigint NULL
        CHECK (contract_internal_area_centi_m2 > 0),
    ADD COLUMN unit_price_fen_per_m2 bigint GENERATED ALWAYS AS (
        CASE WHEN pricing_basis = 'gross' AND contract_gross_area_centi_m2 IS NOT NULL
             THEN (price_fen * 200 + contract_gross_area_centi_m2)
                  / (2 * contract_gross_area_centi_m2)
             WHEN pricing_basis = 'internal' AND contract_internal_area_centi_m2 IS NOT NULL
             THEN (price_fen * 200 + contract_internal_area_centi_m2)
                  / (2 * contract_internal_area_centi_m2)
        END) STORED;
