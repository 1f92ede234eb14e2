import { describe, expect, it } from 'vitest'
import { appliedSettlement, currentSettlement, formatRatioPpm, type AreaSettlement, type AreaSettlementRecord } from './areaSettlement'

describe('formatRatioPpm (REG-1 面积误差比)', () => {
  it.each([
    [35_025, '+3.5025%'],
    [30_000, '+3.0000%'],
    [-30_100, '-3.0100%'],
    [5, '+0.0005%'],
    [0, '0.0000%'],
    [-1_000_000, '-100.0000%'],
  ])('%s → %s', (ppm, text) => {
    expect(formatRatioPpm(ppm)).toBe(text)
  })
})

describe('appliedSettlement', () => {
  const settlement = (title: number): AreaSettlement => ({
    contract_area_centi_m2: 10_000,
    title_area_centi_m2: title,
    difference_centi_m2: title - 10_000,
    ratio_ppm: (title - 10_000) * 100,
    beyond_three_percent: false,
    buyer_may_cancel: false,
    difference_price_fen: 0,
    within_price_fen: 0,
    beyond_price_fen: 0,
    buyer_pays_fen: 0,
    developer_bears_fen: 0,
    developer_refunds_fen: 0,
    settled_price_fen: 0,
  })
  const record = (basis: 'gross' | 'internal', internal: AreaSettlement | null): AreaSettlementRecord => ({
    id: 's',
    contract_id: 'c',
    unit_id: 'u',
    survey_id: 'v',
    pricing_basis: basis,
    price_fen: 1,
    gross: settlement(10_100),
    internal,
    status: 'to_settle',
    computed_at: '2026-12-02T00:00:00.000Z',
  })
  it('takes the area the contract is priced by', () => {
    expect(appliedSettlement(record('gross', settlement(10_200))).title_area_centi_m2).toBe(10_100)
    expect(appliedSettlement(record('internal', settlement(10_200))).title_area_centi_m2).toBe(10_200)
  })
  it('falls back to the gross area when the internal one was not recorded', () => {
    expect(appliedSettlement(record('internal', null)).title_area_centi_m2).toBe(10_100)
  })
  it('the settlement in play is the newest one no later survey replaced', () => {
    const superseded = { ...record('gross', null), id: 'old', status: 'superseded' as const }
    const live = { ...record('gross', null), id: 'new', status: 'agreed' as const }
    expect(currentSettlement([live, superseded])?.id).toBe('new')
    expect(currentSettlement([superseded])).toBeNull()
    expect(currentSettlement([])).toBeNull()
  })
})
