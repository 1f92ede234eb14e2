// CON-5 amendments in the contract view: the unit change 换房 shows old → new unit and price.
import { describe, expect, it } from 'vitest'
import { amendmentSummary, unitChange, unitChangePrice } from './amendment'

describe('CON-5 amendment summary', () => {
  it('shows a unit change as old unit → new unit with the new price', () => {
    const a = {
      changes: { old_unit_id: 'u-old-1234567', old_unit_number: '0201', new_unit_id: 'u-new-7654321', new_unit_number: '0102' },
      new_terms: { price_fen: 198_000_000 },
    }
    expect(unitChange(a)).toEqual({ oldUnitId: 'u-old-1234567', oldUnitNumber: '0201', newUnitId: 'u-new-7654321', newUnitNumber: '0102' })
    expect(amendmentSummary(a)).toBe('换房 0201 → 0102；新成交价 ¥1,980,000.00')
  })
  it('names units without a number by a short id', () => {
    const a = { changes: { old_unit_id: 'aaaaaaaa-1111', new_unit_id: 'bbbbbbbb-2222' }, new_terms: {} }
    expect(amendmentSummary(a)).toBe('换房 房源 aaaaaaaa → 房源 bbbbbbbb')
  })
  it('keeps other amendments as they were', () => {
    expect(unitChange({ changes: { discount_fen: 100 } })).toBeNull()
    expect(amendmentSummary({ changes: { discount_fen: 100_000 }, new_terms: { price_fen: 900_000 } })).toBe('优惠改为 ¥1,000.00；新成交价 ¥9,000.00')
    expect(amendmentSummary({ changes: { customer_id: 'c-2' }, new_terms: {} })).toBe('更名')
    expect(amendmentSummary({ changes: {}, new_terms: {} })).toBe('—')
  })
  it('prices the new unit at its list total less the discount', () => {
    expect(unitChangePrice(200_000_000, 2_000_000)).toBe(198_000_000)
    expect(unitChangePrice(undefined, 0)).toBeNull()
    expect(unitChangePrice(100, 200)).toBeNull()
  })
})
