// 定金异常 (issue 13, CON-1 / FIN-3): labels of the deposit cases contract could not settle by
// itself, and a zh-CN summary of the server's `why` (English, built in
// services/contract/src/app/deposits.cpp). The server's text is always shown as well.
import type { Schema } from '@/api'

export type DepositCase = Schema<'DepositCase'>
export type DepositCaseKind = NonNullable<DepositCase['kind']>
export type DepositCaseState = NonNullable<DepositCase['state']>

export const KIND_LABELS: Readonly<Record<DepositCaseKind, string>> = {
  late_deposit: '迟到定金',
  deposit_reversed: '定金红冲',
}
export const KIND_TAGS: Readonly<Record<DepositCaseKind, 'warning' | 'danger'>> = {
  late_deposit: 'warning',
  deposit_reversed: 'danger',
}

export function kindLabel(kind: string | undefined): string {
  return (KIND_LABELS as Record<string, string>)[kind ?? ''] ?? kind ?? '—'
}

// The server's phrases (deposits.cpp, subscription_changes.cpp reversal_problem) → zh-CN.
const WHY_TEXT: readonly (readonly [RegExp, string])[] = [
  [/the unit was taken meanwhile/i, '定金按时支付，但到账时认购已因逾期被取消，房源已被他人认购或锁定，无法重新锁定'],
  [/inventory did not answer/i, '定金按时支付，但到账时认购已因逾期被取消；重新锁定房源时房源系统未应答'],
  [/inventory refused the re-take/i, '定金按时支付，但到账时认购已因逾期被取消；房源系统拒绝重新锁定房源'],
  [/the subscription is signed/i, '已签约认购的定金被红冲：以合同台账和结清情况为准'],
  [/the subscription is cancelled/i, '已取消认购的定金被红冲：需调整应退金额'],
  [/a cancellation awaits the finance director/i, '退订待财务总监审批期间定金被红冲：请先处理退订申请'],
  [/more than the subscription received/i, '红冲金额超过该认购已收款项'],
  [/only an excess already flagged for refund/i, '红冲的是已标记待退的多收部分：需调整应退金额'],
  [/never counted/i, '红冲的收据未计入定金（已标记待退）：需调整应退金额'],
]

/** A zh-CN summary of a case's `why`; by kind when the server's phrase is not known. */
export function whySummary(c: Pick<DepositCase, 'kind' | 'why'>): string {
  const why = c.why ?? ''
  for (const [pattern, text] of WHY_TEXT) if (pattern.test(why)) return text
  if (c.kind === 'late_deposit') return '定金按时支付，但到账时认购已因逾期被取消，未能重新锁定房源'
  if (c.kind === 'deposit_reversed') return '定金被红冲，系统无法自动处理'
  return '—'
}
