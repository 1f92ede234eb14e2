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
  superseded: '已被新测绘取代',
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
