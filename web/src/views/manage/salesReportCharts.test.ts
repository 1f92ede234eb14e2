import { describe, expect, it } from 'vitest'
import type { Report } from '@/components/reports/reportFormat'
import {
  axisMoney,
  conversionFunnelOption,
  conversionStages,
  memoByReport,
  moneyText,
  paymentsTrendOption,
  rateText,
  salesSummaryOption,
  sellThroughOption,
  unitsByStatusOption,
} from './salesReportCharts'

type Series = { name: string; type: string; data: unknown[]; yAxisIndex?: number; stack?: string }
const seriesOf = (o: object) => (o as { series: Series[] }).series
const categoriesOf = (o: object) => (o as { xAxis: { data: string[] } }).xAxis.data

function report(partial: Partial<Report>): Report {
  return { report: 'sales', title: 't', columns: [], rows: [], totals: {}, total_rows: 0, ...partial }
}

describe('labels', () => {
  it('money and rates from integers, never by floating-point division', () => {
    expect(moneyText(123_456)).toBe('¥1,234.56')
    expect(moneyText(1.5)).toBe('')
    expect(moneyText('x')).toBe('')
    expect(axisMoney(500_000_000)).toBe('5,000,000')
    expect(axisMoney(12_345)).toBe('123.45')
    expect(axisMoney(0.5)).toBe('')
    expect(rateText(6_667)).toBe('66.67%')
    expect(rateText(null)).toBe('')
  })
})

describe('销售汇总', () => {
  it('amount bars on the left axis, count line on the right one, per group', () => {
    const o = salesSummaryOption(
      report({
        rows: [
          { group: '2026-12-01', signed_count: 1, signed_amount_fen: 150_000_000 },
          { group: '2026-12-02', signed_count: 2, signed_amount_fen: 310_000_000 },
        ],
      }),
    )
    expect(categoriesOf(o)).toEqual(['2026-12-01', '2026-12-02'])
    const [amount, count] = seriesOf(o)
    expect(amount).toMatchObject({ name: '签约金额', type: 'bar', data: [150_000_000, 310_000_000] })
    expect(count).toMatchObject({ name: '签约套数', type: 'line', yAxisIndex: 1, data: [1, 2] })
  })
})

describe('销控去化', () => {
  const control = report({
    report: 'sales_control',
    columns: [
      { key: 'available', title: '可售', kind: 'integer' },
      { key: 'held', title: '锁定', kind: 'integer' },
    ],
    rows: [
      { project_name: '项目甲', building_name: '1栋', available: 2, signed: 2, sell_through_bp: 5_000 },
      { project_name: '项目甲', building_name: '2栋', available: 4, sell_through_bp: 0 },
    ],
  })
  it('sell-through per building in basis points (axis 0–100%)', () => {
    const o = sellThroughOption(control)
    expect(categoriesOf(o)).toEqual(['1栋', '2栋'])
    expect(seriesOf(o)[0]!.data).toEqual([5_000, 0])
    expect((o as { yAxis: { max: number } }).yAxis.max).toBe(10_000)
  })
  it('units stacked by status, named as the report names the columns', () => {
    const s = seriesOf(unitsByStatusOption(control))
    expect(s.map((x) => x.name)).toEqual(['可售', '预留', '锁定', '已认购', '已签约', '已交房', '不可售'])
    expect(s.every((x) => x.stack === 'units')).toBe(true)
    expect(s[0]!.data).toEqual([2, 4])
    expect(s[4]!.data).toEqual([2, 0])
  })
  it('buildings of several projects carry the project name', () => {
    const two = report({ rows: [{ project_name: '甲', building_name: '1栋' }, { project_name: '乙', building_name: '1栋' }] })
    expect(categoriesOf(sellThroughOption(two))).toEqual(['甲 1栋', '乙 1栋'])
  })
})

describe('来访转化', () => {
  it('the funnel of the totals, in the order of the stages', () => {
    const r = report({
      report: 'conversion',
      columns: [{ key: 'customers', title: '来访来电客户', kind: 'integer' }],
      totals: { group: '合计', customers: 3, subscriptions: 2, contracts: 2, overall_rate_bp: 6_667 },
    })
    expect(conversionStages(r)).toEqual([
      { name: '来访来电客户', value: 3 },
      { name: '认购', value: 2 },
      { name: '签约', value: 2 },
    ])
    const f = seriesOf(conversionFunnelOption(r))[0]!
    expect(f.type).toBe('funnel')
    expect((f as unknown as { sort: string }).sort).toBe('none')
  })
})

describe('收退款', () => {
  it('receipts up, refunds down, the net as a line', () => {
    const s = seriesOf(
      paymentsTrendOption(report({ rows: [{ group: '2026-12-01', received_fen: 5_000_000, refunded_fen: 1_000_000, net_fen: 4_000_000 }] })),
    )
    expect(s.map((x) => [x.name, x.data[0]])).toEqual([
      ['收款', 5_000_000],
      ['退款', -1_000_000],
      ['净收款', 4_000_000],
    ])
  })
})

describe('memoByReport', () => {
  it('computes once per report object', () => {
    let calls = 0
    const f = memoByReport(() => ({ n: ++calls }))
    const a = report({})
    expect(f(a)).toBe(f(a))
    expect(f(report({}))).not.toBe(f(a))
    expect(calls).toBe(2)
  })
})
