// CON-10 area settlement 面积补差 as the contract screen shows it (REG-1 computed by the contract
// service; nothing is recomputed here).
import type { Schema } from '@/api'

export type AreaSettlementRecord = Schema<'AreaSettlementRecord'>
export type AreaSettlement = Schema<'AreaSettlement'>

// CON-10 area settlement states
export const AREA_SETTLEMENT_STATUS: Readonly<Record<AreaSettlementRecord['status'], string>> = {
  no_difference: '无面积误差',
  to_settle: '待补差',
  awaiting_buyer_choice: '误差超 3%，待买受人选择',
  buyer_cancelled: '买受人选择退房',
  agreed: '已签补充协议，待财务结算',
  settled: '已结算，待开票',
  invoiced: '已开票',
  superseded: '已被新测绘取代',
}

// How finance settled it.
export const SETTLED_HOW: Readonly<Record<string, string>> = {
  received: '补差款已收',
  refunded: '退款已付',
  reduced: '已冲减未付房款',
  nothing_due: '无需收付',
}

/** The settlement that is still in play: the newest one not replaced by a later survey. */
export function currentSettlement(records: readonly AreaSettlementRecord[]): AreaSettlementRecord | null {
  return records.find((r) => r.status !== 'superseded') ?? null
}

/** The settlement on the area the contract is priced by (REG-1). */
export function appliedSettlement(record: AreaSettlementRecord): AreaSettlement {
  return record.pricing_basis === 'internal' && record.internal ? record.internal : record.gross
}

/** 35025 (millionths) → "+3.5025%"; integer arithmetic only. */
export function formatRatioPpm(ppm: number): string {
  const sign = ppm > 0 ? '+' : ppm < 0 ? '-' : ''
  const abs = Math.abs(ppm)
  return `${sign}${Math.trunc(abs / 10_000)}.${String(abs % 10_000).padStart(4, '0')}%`
}
