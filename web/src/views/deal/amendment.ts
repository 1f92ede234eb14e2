// CON-5 amendments as the contract view shows them: what an amendment changes, in one line,
// including a unit change after signing 换房 (old unit → new unit, the new unit's price).
import { formatFen } from '@/utils/money'
import type { Amendment } from './deal'

export interface UnitChange {
  oldUnitId: string
  oldUnitNumber: string | null
  newUnitId: string
  newUnitNumber: string | null
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

/** The unit change of an amendment (换房), or null for one that keeps the unit. */
export function unitChange(a: Pick<Amendment, 'changes'>): UnitChange | null {
  const c = a.changes
  const newUnitId = text(c['new_unit_id'])
  if (!newUnitId) return null
  return {
    oldUnitId: text(c['old_unit_id']) ?? '',
    oldUnitNumber: text(c['old_unit_number']),
    newUnitId,
    newUnitNumber: text(c['new_unit_number']),
  }
}

/** "换房 1-0201 → 1-0102；新合同总价 ¥1,980,000.00；优惠 …；更名 …" */
export function amendmentSummary(a: Pick<Amendment, 'changes' | 'new_terms'>): string {
  const parts: string[] = []
  const u = unitChange(a)
  const price = a.new_terms['price_fen']
  if (u) {
    const from = u.oldUnitNumber ?? `房源 ${u.oldUnitId.slice(0, 8)}`
    const to = u.newUnitNumber ?? `房源 ${u.newUnitId.slice(0, 8)}`
    parts.push(`换房 ${from} → ${to}`)
  }
  const discount = a.changes['discount_fen']
  if (typeof discount === 'number') parts.push(`优惠改为 ${formatFen(discount)}`)
  if (text(a.changes['customer_id'])) parts.push('更名')
  if (a.changes['plan'] !== undefined) parts.push('付款计划调整')
  if (typeof price === 'number' && (u || typeof discount === 'number')) parts.push(`新成交价 ${formatFen(price)}`)
  return parts.join('；') || '—'
}

/** The new price of a unit change: the new unit's list total less the contract's discount. */
export function unitChangePrice(listTotalFen: number | undefined, discountFen: number): number | null {
  if (listTotalFen === undefined || discountFen > listTotalFen) return null
  return listTotalFen - discountFen
}
