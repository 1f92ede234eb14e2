import { describe, expect, it } from 'vitest'
import { applyLiveEvent, buildGrid, formatWan, indexBoard, layoutsOf, NO_FILTERS, type ProjectBoard } from './boardModel'

function board(): ProjectBoard {
  return {
    project_id: 'p-1',
    counts: { available: 3, not_for_sale: 1, reserved: 1 },
    buildings: [
      {
        building_id: 'b-1',
        name: '1栋',
        floor_count: 3,
        counts: { available: 3, not_for_sale: 1 },
        floors: [
          {
            floor: 3,
            units: [
              { unit_id: 'u-301', unit_number: '301', position: 1, status: 'available', layout: '3室2厅2卫', gross_area_centi_m2: 12_000, list_total_fen: 200_000_000 },
              { unit_id: 'u-302', unit_number: '302', position: 2, status: 'not_for_sale', layout: '2室2厅1卫', gross_area_centi_m2: 9_000, list_total_fen: 150_000_000 },
            ],
          },
          {
            floor: 2,
            units: [
              { unit_id: 'u-201', unit_number: '201', position: 1, status: 'available', layout: '3室2厅2卫', gross_area_centi_m2: 12_000, list_total_fen: 190_000_000 },
              // position 2 missing on floor 2 (e.g. a lobby)
              { unit_id: 'u-203', unit_number: '203', position: 3, status: 'available', layout: '4室2厅2卫', gross_area_centi_m2: 14_000, list_total_fen: 250_000_000 },
            ],
          },
        ],
      },
      {
        building_id: 'b-2',
        name: '2栋',
        counts: { reserved: 1 },
        floors: [{ floor: 2, units: [{ unit_id: 'u-b201', unit_number: '201', position: 1, status: 'reserved', list_total_fen: 1 }] }],
      },
    ],
  }
}

describe('buildGrid', () => {
  it('floors as sent (top first) × positions 1..max, holes kept', () => {
    const g = buildGrid(board().buildings?.[0], NO_FILTERS)
    expect(g.columns).toBe(3)
    expect(g.rows.map((r) => r.floor)).toEqual([3, 2])
    expect(g.rows[0]?.slots.map((s) => s?.unit_number ?? null)).toEqual(['301', '302', null])
    expect(g.rows[1]?.slots.map((s) => s?.unit_number ?? null)).toEqual(['201', null, '203'])
    expect([g.shown, g.total]).toEqual([4, 4])
  })
  it('filters by status, layout and price range (inclusive); empty floors drop out', () => {
    const b = board().buildings?.[0]
    expect(buildGrid(b, { ...NO_FILTERS, statuses: ['not_for_sale'] })).toMatchObject({ shown: 1, total: 4, rows: [{ floor: 3 }] })
    expect(buildGrid(b, { ...NO_FILTERS, layouts: ['3室2厅2卫'] }).shown).toBe(2)
    expect(buildGrid(b, { ...NO_FILTERS, minFen: 190_000_000, maxFen: 200_000_000 }).shown).toBe(2)
    expect(buildGrid(b, { ...NO_FILTERS, minFen: 200_000_001 }).rows.map((r) => r.floor)).toEqual([2])
    expect(buildGrid(b, { ...NO_FILTERS, statuses: ['signed'] })).toMatchObject({ shown: 0, rows: [] })
  })
  it('no building → empty grid', () => {
    expect(buildGrid(null, NO_FILTERS)).toEqual({ columns: 0, rows: [], shown: 0, total: 0 })
  })
  it('layouts for the filter', () => {
    expect(layoutsOf(board().buildings?.[0])).toEqual(['2室2厅1卫', '3室2厅2卫', '4室2厅2卫'].sort((a, b) => a.localeCompare(b, 'zh-CN')))
  })
})

describe('formatWan', () => {
  it('fen → 万元, two decimals, half up, no floating point', () => {
    expect(formatWan(198_000_000)).toBe('198.00万')
    expect(formatWan(1_234_567_890)).toBe('1,234.57万')
    expect(formatWan(1_234_564_999)).toBe('1,234.56万')
    expect(formatWan(5_000)).toBe('0.01万')
    expect(formatWan(4_999)).toBe('0.00万')
    expect(formatWan(0)).toBe('0.00万')
    expect(formatWan(null)).toBe('—')
    expect(formatWan(1.5)).toBe('—')
  })
})

describe('applyLiveEvent', () => {
  it('moves the cell and both counts, in place', () => {
    const b = board()
    const index = indexBoard(b)
    const versions = new Map<string, number>()
    const r = applyLiveEvent(b, index, versions, {
      kind: 'status',
      data: { unit_id: 'u-301', project_id: 'p-1', from: 'available', to: 'reserved', version: 5 },
    })
    expect(r).toBe('applied')
    expect(index.get('u-301')?.cell.status).toBe('reserved')
    expect(b.buildings?.[0]?.counts).toEqual({ available: 2, not_for_sale: 1, reserved: 1 })
    expect(b.counts).toEqual({ available: 2, not_for_sale: 1, reserved: 2 })
  })
  it('ignores a replayed or older event, other projects, and reports unknown units', () => {
    const b = board()
    const index = indexBoard(b)
    const versions = new Map<string, number>()
    const ev = (to: string, version: number) => ({ kind: 'status' as const, data: { unit_id: 'u-302', project_id: 'p-1', to, version } })
    expect(applyLiveEvent(b, index, versions, ev('available', 7))).toBe('applied')
    expect(applyLiveEvent(b, index, versions, ev('not_for_sale', 6))).toBe('stale')
    expect(applyLiveEvent(b, index, versions, ev('available', 7))).toBe('stale')
    expect(index.get('u-302')?.cell.status).toBe('available')
    expect(applyLiveEvent(b, index, versions, { kind: 'status', data: { unit_id: 'u-302', project_id: 'p-2', to: 'held' } })).toBe('unchanged')
    expect(applyLiveEvent(b, index, versions, { kind: 'status', data: { unit_id: 'u-new', project_id: 'p-1', to: 'available' } })).toBe('unknown_unit')
    expect(b.buildings?.[0]?.counts).toEqual({ available: 4 })
  })
  it('the cell status, not the event\'s from, decides which count goes down', () => {
    const b = board()
    const index = indexBoard(b)
    applyLiveEvent(b, index, new Map(), { kind: 'status', data: { unit_id: 'u-301', project_id: 'p-1', from: 'reserved', to: 'held' } })
    expect(b.buildings?.[0]?.counts).toEqual({ available: 2, not_for_sale: 1, held: 1 })
  })
  it('price events update the total and area', () => {
    const b = board()
    const index = indexBoard(b)
    const r = applyLiveEvent(b, index, new Map(), {
      kind: 'price',
      data: { unit_id: 'u-201', project_id: 'p-1', list_total_fen: 191_000_000, gross_area_centi_m2: 12_050, version: 3 },
    })
    expect(r).toBe('applied')
    expect(index.get('u-201')?.cell).toMatchObject({ list_total_fen: 191_000_000, gross_area_centi_m2: 12_050, status: 'available' })
  })
})
