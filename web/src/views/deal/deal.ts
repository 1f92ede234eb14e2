// Types and labels of the deal area (cashier, contract desk, GM, printing). The contract shapes
// here are written by hand and follow the typed schemas of docs/openapi.yaml (Contract,
// ContractDetail); others come from '@/api' directly.
import type { Schema } from '@/api'
import type { AreaSettlementRecord } from './areaSettlement'
import router from '@/router'
import { roleLabel } from '@/utils/permissions'

export type LedgerEntry = Schema<'LedgerEntry'>
export type Subscription = Schema<'Subscription'>

export type PlanKind = 'one_off' | 'instalments' | 'mortgage'

export interface Instalment {
  due_date: string
  amount_fen: number
}

export type Plan =
  | { kind: 'one_off'; due_date: string }
  | { kind: 'instalments'; instalments: Instalment[] }
  | {
      kind: 'mortgage'
      down_payment_fen: number
      down_payment_due_date: string
      loan_fen: number
      loan_expected_date: string
    }

export interface AuditStep {
  amendment_id: string | null
  round: number
  step: number
  role: string
  opened_on: string
  due_on: string
  decision: 'approved' | 'rejected' | null
  note: string | null
  actor: string | null
  decided_at: string | null
  overdue: boolean
}

export interface Amendment {
  id: string
  contract_id: string
  status: 'in_audit' | 'approved' | 'rejected'
  reason: string
  requested_by: string
  changes: Record<string, unknown>
  new_terms: Record<string, unknown>
}

export interface RefundRequest {
  id: string
  contract_id: string
  refund_fen: number
  reason: string
  status: 'requested' | 'approved' | 'rejected'
  requested_by: string
  decided_by: string | null
  decision_note: string | null
  /** CON-6: when finance paid the approved refund (the contract is cancelled then). */
  refund_paid_at?: string | null
}

export type ContractStatus = 'in_audit' | 'rejected' | 'reviewed' | 'stamped' | 'registered' | 'cancelling' | 'cancelled'
export type HandoverState = 'not_eligible' | 'eligible' | 'early_eligible' | 'awaiting_confirmation' | 'handed_over'

export type PricingBasis = 'gross' | 'internal'
export const PRICING_BASIS_LABELS: Readonly<Record<PricingBasis, string>> = {
  gross: '按建筑面积计价',
  internal: '按套内面积计价',
}

export interface Contract {
  id: string
  contract_no: string
  project_id: string
  subscription_id: string
  unit_id: string
  customer_id: string
  rep_id: string
  status: ContractStatus
  list_total_fen: number
  discount_fen: number
  price_fen: number
  // CON-10 price terms, fixed at signing (null: signed before areas were recorded)
  pricing_basis: PricingBasis
  contract_gross_area_centi_m2: number | null
  contract_internal_area_centi_m2: number | null
  unit_price_fen_per_m2: number | null
  deposit_paid_fen: number
  penalty_bp_per_day: number
  payment_plan: PlanKind
  plan: Plan
  discount_slip_id: string | null
  late_signing_approval_id: string | null
  audit_round: number
  signed_at: string
  signed_by: string
  stamped_on: string | null
  stamp_no: string | null
  filed_at: string | null
  registration_date: string | null
  registration_no: string | null
  /** CON-7: the filing is due on this day (working days after stamping); null until stamped */
  registration_due_on: string | null
  /** the unit's building and number as inventory named them at the hold (null: older deals) */
  building_id: string | null
  unit_number: string | null
  handover_state: HandoverState
  eligible_at: string | null
  handover_notice_date: string | null
  handed_over_on: string | null
  handover_recorded_by?: string | null
  cancelled_at: string | null
  /** CON-11: the member who referred the buyer */
  referrer_customer_id?: string | null
  version: number
  /** only on GET /contracts/{id} */
  audits?: AuditStep[]
  amendments?: Amendment[]
  refund_requests?: RefundRequest[]
  area_settlements?: AreaSettlementRecord[]
  /** CON-8: the mortgage file of a mortgage plan (null for other plans) */
  mortgage?: Schema<'MortgageFile'> | null
}

export interface BalanceItem {
  seq: number
  kind: string
  due_date: string
  amount_fen: number
  credited_fen: number
  paid_fen: number
  outstanding_fen: number
  overdue_days: number
  penalty_fen: number
}

export interface Balance {
  contract_id: string
  contract_no: string
  as_of: string
  total_fen: number
  due_fen: number
  paid_fen: number
  overdue_fen: number
  penalty_fen: number
  balance_fen: number
  cleared: boolean
  clearance_state: string
  items: BalanceItem[]
}

export interface AuditQueueItem {
  contract_id: string
  contract_no: string
  project_id: string
  amendment_id: string | null
  round: number
  step: number
  role: string
  opened_on: string
  due_on: string
  overdue: boolean
}

export interface Page<T> {
  items: T[]
  limit: number
  offset: number
}

export interface ReceiptsDay {
  date: string
  receipts_fen: number
  refunds_fen: number
  reversals_fen: number
  net_fen: number
  count: number
  entries: LedgerEntry[]
}

export interface ReceiptsReport {
  project_id: string
  from: string
  to: string
  days: ReceiptsDay[]
  totals: { count: number; net_fen: number; receipts_fen: number; refunds_fen: number; reversals_fen: number }
  ledger_sum_fen: number
  ledger_count: number
}

export type ApprovalKind = 'discount_slip' | 'late_signing' | 'early_handover'

export interface Approval {
  id: string
  kind: ApprovalKind
  project_id: string
  subscription_id: string | null
  contract_id: string | null
  discount_fen: number | null
  reason: string
  status: 'requested' | 'approved' | 'rejected'
  requested_by: string
  decided_by: string | null
  decision_note: string | null
  used_by_contract_id: string | null
}

/** The gateway path of each approval kind. */
export const APPROVAL_PATH: Readonly<Record<ApprovalKind, string>> = {
  discount_slip: 'discount-slips',
  late_signing: 'late-signing-approvals',
  early_handover: 'early-handover-approvals',
}

export const APPROVAL_LABELS: Readonly<Record<ApprovalKind, string>> = {
  discount_slip: '优惠批示单',
  late_signing: '延期签约',
  early_handover: '提前交房',
}

export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  deposit: '定金',
  down_payment: '首付款',
  instalment: '分期款',
  loan_disbursement: '按揭放款',
  area_settlement: '面积补差',
  fee: '代收费用',
  penalty: '违约金',
  refund: '退款',
  reversal: '红冲',
}

export const METHOD_LABELS: Readonly<Record<string, string>> = {
  cash: '现金',
  card: '刷卡',
  transfer: '转账',
  cheque: '支票',
  bank_loan: '银行放款',
}

export const PLAN_LABELS: Readonly<Record<string, string>> = {
  one_off: '一次性付款',
  instalments: '分期付款',
  mortgage: '按揭付款',
}

export const CONTRACT_STATUS: Readonly<Record<string, { label: string; type: 'primary' | 'success' | 'warning' | 'danger' | 'info' }>> = {
  in_audit: { label: '审核中', type: 'warning' },
  rejected: { label: '已驳回', type: 'danger' },
  reviewed: { label: '已复核', type: 'primary' },
  stamped: { label: '已盖章', type: 'success' },
  registered: { label: '已备案', type: 'success' },
  cancelling: { label: '解除中（待退款）', type: 'warning' },
  cancelled: { label: '已解除', type: 'info' },
}

export const HANDOVER_LABELS: Readonly<Record<string, string>> = {
  not_eligible: '未结清',
  eligible: '可交房',
  early_eligible: '提前交房（已批准）',
  awaiting_confirmation: '交房待主管确认',
  handed_over: '已交房',
}

export const SUBSCRIPTION_STATUS: Readonly<Record<string, string>> = {
  pending_deposit: '待交定金',
  confirmed: '已交定金',
  cancellation_requested: '退房审批中',
  cancelled: '已取消',
  signed: '已签约',
}

export const APPROVAL_STATUS: Readonly<Record<string, string>> = {
  requested: '待审批',
  approved: '已批准',
  rejected: '已驳回',
}

/** CON-4 audit steps: the role of each step. */
export const AUDIT_STEPS = [
  { step: 1, role: 'sales_supervisor', title: '销售主任审核' },
  { step: 2, role: 'sales_manager', title: '销售经理审核' },
  { step: 3, role: 'finance_supervisor', title: '财务主任复核' },
  { step: 4, role: 'finance_director', title: '财务总监复核' },
] as const

export function stepTitle(step: number, role: string): string {
  return AUDIT_STEPS.find((s) => s.step === step)?.title ?? `第 ${step} 步（${roleLabel(role)}）`
}

export function label(map: Readonly<Record<string, string>>, key: string | null | undefined): string {
  if (!key) return '—'
  return map[key] ?? key
}

/** A short, readable form of an id for tables ("1a2b3c4d"). */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '—'
}

/** The sum of integer fen amounts, in BigInt (no floating point on money). */
export function sumFen(amounts: readonly (number | bigint)[]): bigint {
  return amounts.reduce<bigint>((s, a) => s + BigInt(a), 0n)
}

/**
 * Opens a print view (a page without the console's chrome; its 关闭 goes back). Same tab on
 * purpose: a new tab would start a second session from the single-use refresh token in
 * sessionStorage and end this one.
 */
export function openPrint(href: string): void {
  void router.push(href)
}
