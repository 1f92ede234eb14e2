// CON-11 会员积分: labels and the buyer's progress towards the 80% threshold (exact integers).
import type { components } from '@/api/schema'

export type Referral = components['schemas']['Referral']
export type ReferralStatus = Referral['status']
export type ReferralPoints = components['schemas']['ReferralPoints']

type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger'

export const REFERRAL_STATUS: Readonly<Record<ReferralStatus, { text: string; tag: TagType }>> = {
  requested: { text: '待确认', tag: 'warning' },
  confirmed: { text: '已确认', tag: 'primary' },
  redeemable: { text: '可兑换', tag: 'success' },
  voided: { text: '已作废', tag: 'info' },
}

export const REDEEMABLE_PERCENT = 80n

/** Paid share of the price in tenths of a percent, floored (799 = 79.9%); 0 without a price. */
export function paidPermille(paidFen: number, priceFen: number): number {
  if (priceFen <= 0) return 0
  return Number((BigInt(paidFen) * 1000n) / BigInt(priceFen))
}

/** "79.9%" — floored, so 79.99% never reads as 80.0%. */
export function percentText(permille: number): string {
  return `${Math.floor(permille / 10)}.${permille % 10}%`
}

/** paid × 100 ≥ price × 80, as finance decides it. */
export function thresholdReached(paidFen: number, priceFen: number): boolean {
  return priceFen > 0 && BigInt(paidFen) * 100n >= BigInt(priceFen) * REDEEMABLE_PERCENT
}

/** What is still to pay before the points are credited (0 once reached). */
export function fenToThreshold(paidFen: number, priceFen: number): number {
  if (priceFen <= 0) return 0
  const least = (BigInt(priceFen) * REDEEMABLE_PERCENT + 99n) / 100n
  const missing = least - BigInt(paidFen)
  return missing > 0n ? Number(missing) : 0
}
