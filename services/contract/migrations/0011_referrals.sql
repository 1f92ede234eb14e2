-- CON-11 referral points 会员积分: the member (an owner with a signed contract) who referred the
-- buyer, recorded at signing with the 会员积分申请书. Finance confirms and keeps the points.
ALTER TABLE contracts ADD COLUMN referrer_customer_id uuid NULL;
