-- CON-5 unit change after signing 换房: the unit an amendment moves the contract to. Inventory
-- holds it under the amendment's id while the amendment is in audit (contract.amendment.*);
-- the hold reconciliation treats such a hold as live while the amendment is in audit.
ALTER TABLE amendments ADD COLUMN new_unit_id uuid NULL;
CREATE INDEX amendments_new_unit_idx ON amendments (new_unit_id) WHERE new_unit_id IS NOT NULL;
