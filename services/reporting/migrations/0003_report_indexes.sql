-- 收退款明细表 pages in payment order (tests/load/report_volume.cpp: 1,000,000 entries).
CREATE INDEX ledger_entries_paid_idx ON ledger_entries (paid_at, entry_id);
CREATE INDEX ledger_entries_project_paid_idx ON ledger_entries (project_id, paid_at, entry_id);
-- 销售明细分析表 pages in signing order.
CREATE INDEX contracts_signed_at_idx ON contracts (signed_at, contract_no);
