-- CON-11 referral points 会员积分: a referral recorded at signing (contract.signed names the
-- member who referred the buyer), confirmed by the cashier, credited to the member's points
-- ledger once the buyer has paid 80% of the price, and redeemed against 兑换单 vouchers.
CREATE TABLE referrals (
    contract_id          uuid PRIMARY KEY REFERENCES contracts (contract_id),
    project_id           uuid NOT NULL,
    referrer_customer_id uuid NOT NULL,
    buyer_customer_id    uuid NOT NULL,
    contract_no          text NOT NULL,
    points               bigint NOT NULL CHECK (points >= 0),
    status               text NOT NULL
        CHECK (status IN ('requested', 'confirmed', 'redeemable', 'voided')),
    requested_at         timestamptz NOT NULL,
    confirmed_by         text NULL,
    confirmed_at         timestamptz NULL,
    confirm_note         text NULL,
    redeemable_at        timestamptz NULL,
    voided_at            timestamptz NULL
);
CREATE INDEX referrals_project_idx ON referrals (project_id, status, requested_at DESC);

-- The points ledger: credits (one per referred contract), redemptions (negative) and reversals of
-- redemptions (红冲 of a wrong redemption, positive, once per redemption), never updated or
-- deleted.
CREATE TABLE referral_point_entries (
    id                   uuid PRIMARY KEY,
    project_id           uuid NOT NULL,
    referrer_customer_id uuid NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('credit', 'redemption', 'reversal')),
    points               bigint NOT NULL,
    contract_id          uuid NULL UNIQUE REFERENCES referrals (contract_id),
    voucher_no           text NULL,
    reverses_entry_id    uuid NULL UNIQUE REFERENCES referral_point_entries (id),
    note                 text NULL,
    recorded_by          text NOT NULL,
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'credit' AND points > 0 AND contract_id IS NOT NULL)
        OR (kind = 'redemption' AND points < 0 AND voucher_no IS NOT NULL)
        OR (kind = 'reversal' AND points > 0 AND reverses_entry_id IS NOT NULL AND note IS NOT NULL)),
    UNIQUE (project_id, voucher_no)
);
CREATE INDEX referral_point_entries_member_idx
    ON referral_point_entries (project_id, referrer_customer_id, recorded_at);
CREATE TRIGGER referral_point_entries_append_only BEFORE UPDATE OR DELETE
    ON referral_point_entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
