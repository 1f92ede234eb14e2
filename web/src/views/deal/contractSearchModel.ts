// 合同查询 and 待备案, the pure part: the search form as GET /api/v1/contracts' query, a buyer's
// label, the CON-7 due-day state and the taken-registration-number message.
import type { Schema } from '@/api'

export type ContractSummary = Schema<'ContractSummary'>
export type AwaitingRegistration = Schema<'AwaitingRegistration'>
export type CustomerBrief = Schema<'CustomerBrief'>

export interface SearchForm {
  projectId: string
  buildingId: string
  statuses: string[]
  /** [from, to], YYYY-MM-DD, both inclusive (Asia/Shanghai) */
  signed: [string, string] | null
  repId: string
  plan: string
  customerId: string
  contractNo: string
  handover: string
}

export function emptySearch(projectId = ''): SearchForm {
  return { projectId, buildingId: '', statuses: [], signed: null, repId: '', plan: '', customerId: '', contractNo: '', handover: '' }
}

export type SearchQuery = Record<string, string | number>

/** The query of GET /api/v1/contracts for the form and a page (1-based) of `size`. */
export function searchQuery(form: SearchForm, page: number, size: number): SearchQuery {
  const q: SearchQuery = { limit: size, offset: Math.max(0, page - 1) * size }
  const text = (v: string): string => v.trim()
  if (form.projectId) q['project_id'] = form.projectId
  if (form.projectId && form.buildingId) q['building_id'] = form.buildingId
  if (form.statuses.length > 0) q['status'] = form.statuses.join(',')
  if (form.signed) {
    q['signed_from'] = form.signed[0]
    q['signed_to'] = form.signed[1]
  }
  if (text(form.repId)) q['rep_id'] = text(form.repId)
  if (form.plan) q['payment_plan'] = form.plan
  if (form.customerId) q['customer_id'] = form.customerId
  if (text(form.contractNo)) q['contract_no'] = text(form.contractNo)
  if (form.handover) q['handover_state'] = form.handover
  return q
}

/** "王先生 138****5678" from the customer service; "客户 1a2b3c4d" when it did not say. */
export function customerLabel(brief: CustomerBrief | undefined, id: string): string {
  if (!brief) return `客户 ${id.slice(0, 8)}`
  return `${brief.name} ${brief.phone}`
}

export interface DueState {
  text: string
  type: 'danger' | 'warning' | 'info' | 'success'
}

/** CON-7 on a row: 已备案, 逾期 (after the due day), 今日到期, 待备案 (before), or nothing. */
export function registrationState(
  row: { status: string; registration_due_on: string | null; registration_no: string | null },
  today: string,
): DueState | null {
  if (row.registration_no) return { text: '已备案', type: 'success' }
  if (row.status !== 'stamped' || !row.registration_due_on) return null
  if (row.registration_due_on < today) return { text: '逾期', type: 'danger' }
  if (row.registration_due_on === today) return { text: '今日到期', type: 'warning' }
  return { text: '待备案', type: 'info' }
}

/** The 备案号 field's error: CON-7's taken number in zh-CN, else the server's field problem. */
export function registrationNoError(error: { code: string; details: Record<string, unknown> } | null, fieldErrors: Record<string, string>): string {
  if (error?.code === 'registration_no_taken') {
    const holder = error.details['contract_no']
    return typeof holder === 'string' && holder ? `备案号已被本项目合同 ${holder} 使用` : '备案号已被本项目的其他合同使用'
  }
  return fieldErrors['registration_no'] ?? ''
}
