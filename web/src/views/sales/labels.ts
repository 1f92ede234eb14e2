// zh-CN labels of the sales area's enums (docs/openapi.yaml: CustomerStage, CustomerChannel,
// CustomerType, CustomerEventKind, SubscriptionStatus, PaymentPlan, CancellationReason).
import type { Schema } from '@/api'

export type CustomerStage = Schema<'CustomerStage'>
export type CustomerChannel = Schema<'CustomerChannel'>
export type CustomerType = Schema<'CustomerType'>
export type CustomerEventKind = Schema<'CustomerEventKind'>
export type SubscriptionStatus = Schema<'SubscriptionStatus'>
export type PaymentPlan = Schema<'PaymentPlan'>
type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export interface Option<V extends string> {
  value: V
  label: string
}

// CUS-1 潜在 → 意向 → 准客户 → 成交
export const STAGE_LABELS: Readonly<Record<CustomerStage, string>> = {
  potential: '潜在',
  intent: '意向',
  prospect: '准客户',
  closed: '成交',
}
export const STAGE_TAGS: Readonly<Record<CustomerStage, TagType>> = {
  potential: 'info',
  intent: 'primary',
  prospect: 'warning',
  closed: 'success',
}
export const CHANNEL_LABELS: Readonly<Record<CustomerChannel, string>> = {
  visit: '来访',
  call: '来电',
  online: '网络',
  referral: '转介',
  event: '活动',
}
export const TYPE_LABELS: Readonly<Record<CustomerType, string>> = {
  first_home: '刚需',
  upgrade: '改善',
  investment: '投资',
}
export const EVENT_LABELS: Readonly<Record<CustomerEventKind, string>> = {
  visit: '来访',
  call_in: '来电',
  call_out: '去电回访',
  follow_up: '跟进',
  event_attended: '参加活动',
  complaint: '投诉',
  survey: '满意度调查',
  post_purchase_visit: '售后回访',
}
/** Event kinds a rep records by hand on the customer page (complaints have their own call). */
export const FOLLOW_UP_KINDS: readonly CustomerEventKind[] = ['visit', 'call_in', 'call_out', 'follow_up', 'event_attended']
/** CUS-2: the first event of a new customer is a first call or a first visit. */
export const FIRST_EVENT_KINDS: readonly CustomerEventKind[] = ['visit', 'call_in', 'call_out']

export const HORIZON_LABELS: Readonly<Record<string, string>> = {
  within_3_months: '3 个月内',
  within_6_months: '6 个月内',
  within_1_year: '1 年内',
  later: '1 年以后',
}

export const SUBSCRIPTION_STATUS_LABELS: Readonly<Record<SubscriptionStatus, string>> = {
  pending_deposit: '待交定金',
  confirmed: '已确认（定金已付）',
  cancellation_requested: '退订审批中',
  cancelled: '已取消',
  signed: '已签约',
}
export const SUBSCRIPTION_STATUS_TAGS: Readonly<Record<SubscriptionStatus, TagType>> = {
  pending_deposit: 'warning',
  confirmed: 'success',
  cancellation_requested: 'danger',
  cancelled: 'info',
  signed: 'primary',
}
export const PLAN_LABELS: Readonly<Record<PaymentPlan, string>> = {
  one_off: '一次性付款',
  instalments: '分期付款',
  mortgage: '按揭贷款',
}
export const CANCELLATION_REASON_LABELS: Readonly<Record<string, string>> = {
  deposit_deadline_passed: '超时未交定金，系统自动取消',
  cancelled_before_deposit: '交定金前由销控取消',
  cancellation_approved: '退订已获财务总监批准',
}

export function options<V extends string>(labels: Readonly<Record<V, string>>): Option<V>[] {
  return (Object.keys(labels) as V[]).map((value) => ({ value, label: labels[value] }))
}

/** Label of a value from the API, or the value itself when unknown (never blank). */
export function labelOf(labels: Readonly<Record<string, string>>, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  return labels[value] ?? value
}

export const ORIENTATION_LABELS: Readonly<Record<string, string>> = {
  south: '南',
  north: '北',
  east: '东',
  west: '西',
  south_east: '东南',
  south_west: '西南',
  north_east: '东北',
  north_west: '西北',
  north_south: '南北通透',
  east_west: '东西',
}
export const DECORATION_LABELS: Readonly<Record<string, string>> = {
  bare: '毛坯',
  simple: '简装',
  fine: '精装',
  luxury: '豪装',
}
