// The mortgage desk 按揭 (CON-8): types from docs/openapi.yaml (MortgageFile, MortgageDetail,
// MortgageList) and the zh-CN labels and tags of its screens.
import type { Schema } from '@/api'

export type MortgageFile = Schema<'MortgageFile'>
export type MortgageDetail = Schema<'MortgageDetail'>
export type MortgageList = Schema<'MortgageList'>
export type MortgageStatus = Schema<'MortgageStatus'>
export type LoanKind = Schema<'LoanKind'>
export type MortgageDocumentKind = Schema<'MortgageDocumentKind'>
export type MortgageHistoryEntry = Schema<'MortgageHistoryEntry'>

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** The stages in order, with the tag each shows. */
export const MORTGAGE_STATUS: Readonly<Record<MortgageStatus, { label: string; type: TagType }>> = {
  documents_pending: { label: '资料收集中', type: 'warning' },
  documents_complete: { label: '资料齐全', type: 'primary' },
  submitted: { label: '已送审', type: 'primary' },
  approved: { label: '已批贷', type: 'success' },
  refused: { label: '已拒贷', type: 'danger' },
  registered: { label: '已抵押登记', type: 'success' },
  disbursed: { label: '已放款', type: 'success' },
}
export const MORTGAGE_STATUSES = Object.keys(MORTGAGE_STATUS) as MortgageStatus[]

export const LOAN_KIND_LABELS: Readonly<Record<LoanKind, string>> = {
  commercial: '商业贷款',
  provident_fund: '公积金贷款',
  combined: '组合贷款',
}

export const MORTGAGE_ACTION_LABELS: Readonly<Record<string, string>> = {
  open: '签约建档',
  set_loan: '设置贷款类型',
  record_documents: '登记资料',
  submit: '送审银行',
  approve: '银行批贷',
  refuse: '银行拒贷',
  register: '抵押登记',
  disburse: '银行放款',
  reverse_disbursement: '放款红冲',
}

/** The stage's deadline, in words ("资料截止", "审批截止", "放款截止"). */
export function dueLabel(status: MortgageStatus): string {
  if (status === 'documents_pending' || status === 'documents_complete') return '资料截止'
  if (status === 'submitted') return '审批截止'
  if (status === 'disbursed') return '—'
  return '放款截止'
}

/**
 * The active step of the el-steps bar (0-based: the steps before it are done); a refusal stands
 * at 送审; disbursed finishes all six.
 */
export function stepIndex(status: MortgageStatus): number {
  const order: MortgageStatus[] = ['documents_pending', 'documents_complete', 'submitted', 'approved', 'registered']
  if (status === 'refused') return 2
  if (status === 'disbursed') return order.length + 1
  return order.indexOf(status)
}

/** What a history row changed, in words: "资料收集中 → 资料齐全". */
export function historyChange(entry: Pick<MortgageHistoryEntry, 'from_status' | 'to_status'>): string {
  const to = MORTGAGE_STATUS[entry.to_status]?.label ?? entry.to_status
  if (!entry.from_status || entry.from_status === entry.to_status) return to
  return `${MORTGAGE_STATUS[entry.from_status]?.label ?? entry.from_status} → ${to}`
}

/** The missing documents in words, "户口簿、收入证明", from the checklist. */
export function missingText(file: Pick<MortgageFile, 'documents'>): string {
  return file.documents
    .filter((d) => !d.received)
    .map((d) => d.label)
    .join('、')
}
