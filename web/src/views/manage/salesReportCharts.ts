// ECharts options of 经营报表 (SalesReportsView), built from the reports' JSON. Money is plotted
// in fen and labelled with utils/money, rates in basis points labelled with utils/rate: no
// floating-point division of money for any text.
import type { EChartsCoreOption } from 'echarts/core'
import { integerOf, textOf, type Report, type ReportCell } from '@/components/reports/reportFormat'
import { formatFen } from '@/utils/money'
import { formatBasisPoints, formatPercentNumber } from '@/utils/rate'
import { UNIT_STATUS_STYLES, type UnitStatus } from '@/utils/unitStatus'

const BLUE = '#2a5db0'
const GREEN = '#2b7a3d'
const RED = '#c42b2b'
const ORANGE = '#9a5b00'

/** tooltip values: money of whole fen */
export function moneyText(v: unknown): string {
  return typeof v === 'number' && Number.isSafeInteger(v) ? formatFen(v) : ''
}
/** axis labels: whole fen only, without "¥" and ".00" (ECharts may ask for fractional ticks) */
export function axisMoney(v: number): string {
  return Number.isSafeInteger(v) ? formatFen(v, { symbol: false }).replace(/\.00$/, '') : ''
}
/** rates in basis points as "12.34%"; axis ticks of whole basis points only */
export function rateText(v: unknown): string {
  return typeof v === 'number' && Number.isSafeInteger(v) ? formatBasisPoints(v) : ''
}
function axisRate(v: number): string {
  return Number.isSafeInteger(v) ? `${formatPercentNumber(v).replace(/\.00$/, '')}%` : ''
}

/** fn, computed once per report object (the reports are replaced, never changed, on a reload) */
export function memoByReport<T extends object>(fn: (report: Report) => T): (report: Report) => T {
  const cache = new WeakMap<Report, T>()
  return (report) => {
    let out = cache.get(report)
    if (out === undefined) {
      out = fn(report)
      cache.set(report, out)
    }
    return out
  }
}

function titleOf(report: Report, key: string, fallback: string): string {
  return report.columns.find((c) => c.key === key)?.title ?? fallback
}

/** 销售汇总: 签约金额 (bars, left axis) and 签约套数 (line, right axis) per group. */
export function salesSummaryOption(report: Report): EChartsCoreOption {
  const rows = report.rows
  return {
    // each series formats its own value (amount in 元, count in 套)
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['签约金额', '签约套数'] },
    grid: { left: 16, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => textOf(r, 'group')) },
    yAxis: [
      { type: 'value', name: '签约金额（元）', axisLabel: { formatter: axisMoney } },
      { type: 'value', name: '签约套数', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: '签约金额',
        type: 'bar',
        barMaxWidth: 40,
        data: rows.map((r) => integerOf(r, 'signed_amount_fen')),
        itemStyle: { color: BLUE },
        tooltip: { valueFormatter: moneyText },
      },
      {
        name: '签约套数',
        type: 'line',
        yAxisIndex: 1,
        data: rows.map((r) => integerOf(r, 'signed_count')),
        itemStyle: { color: ORANGE },
        tooltip: { valueFormatter: (v: unknown) => `${String(v)} 套` },
      },
    ],
  }
}

function buildingLabel(row: Readonly<Record<string, ReportCell>>, manyProjects: boolean): string {
  const b = textOf(row, 'building_name')
  return manyProjects ? `${textOf(row, 'project_name')} ${b}` : b
}

function manyProjects(report: Report): boolean {
  return new Set(report.rows.map((r) => textOf(r, 'project_name'))).size > 1
}

/** 销控去化: 去化率 per building (bars of basis points, labelled as percent). */
export function sellThroughOption(report: Report): EChartsCoreOption {
  const many = manyProjects(report)
  return {
    tooltip: { trigger: 'axis', valueFormatter: rateText },
    grid: { left: 16, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: report.rows.map((r) => buildingLabel(r, many)) },
    yAxis: { type: 'value', min: 0, max: 10_000, interval: 2_500, axisLabel: { formatter: axisRate } },
    series: [
      {
        name: titleOf(report, 'sell_through_bp', '去化率'),
        type: 'bar',
        barMaxWidth: 48,
        data: report.rows.map((r) => integerOf(r, 'sell_through_bp')),
        itemStyle: { color: GREEN },
        label: { show: true, position: 'top', formatter: (p: { value?: unknown }) => rateText(p.value) },
      },
    ],
  }
}

const STATUS_KEYS: readonly UnitStatus[] = ['available', 'reserved', 'held', 'subscribed', 'signed', 'handed_over', 'not_for_sale']

/** 销控去化: units per building stacked by status (the board's colours). */
export function unitsByStatusOption(report: Report): EChartsCoreOption {
  const many = manyProjects(report)
  const names = STATUS_KEYS.map((k) => titleOf(report, k, UNIT_STATUS_STYLES[k].label))
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: names },
    grid: { left: 16, right: 16, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: report.rows.map((r) => buildingLabel(r, many)) },
    yAxis: { type: 'value', minInterval: 1, name: '套数' },
    series: STATUS_KEYS.map((k, i) => ({
      name: names[i],
      type: 'bar',
      stack: 'units',
      barMaxWidth: 48,
      data: report.rows.map((r) => integerOf(r, k)),
      itemStyle: { color: UNIT_STATUS_STYLES[k].background },
    })),
  }
}

export interface FunnelStage {
  name: string
  value: number
}

/** 来访转化: the stages of the funnel from the totals (来访来电客户 → 认购 → 签约). */
export function conversionStages(report: Report): FunnelStage[] {
  return [
    { name: titleOf(report, 'customers', '来访来电客户'), value: integerOf(report.totals, 'customers') },
    { name: titleOf(report, 'subscriptions', '认购'), value: integerOf(report.totals, 'subscriptions') },
    { name: titleOf(report, 'contracts', '签约'), value: integerOf(report.totals, 'contracts') },
  ]
}

export function conversionFunnelOption(report: Report): EChartsCoreOption {
  const stages = conversionStages(report)
  const max = Math.max(1, ...stages.map((s) => s.value))
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c}' },
    legend: { top: 0, data: stages.map((s) => s.name) },
    series: [
      {
        name: '来访转化',
        type: 'funnel',
        top: 40,
        bottom: 8,
        left: '10%',
        width: '80%',
        min: 0,
        max,
        minSize: '8%',
        sort: 'none',
        gap: 2,
        label: { show: true, position: 'inside', formatter: '{b}：{c}', color: '#ffffff' },
        data: stages.map((s, i) => ({ ...s, itemStyle: { color: [BLUE, ORANGE, GREEN][i] } })),
      },
    ],
  }
}

/** 收退款明细: 收款 and 退款 (below the axis) as bars, 净收款 as a line, per day or week. */
export function paymentsTrendOption(report: Report): EChartsCoreOption {
  const rows = report.rows
  return {
    tooltip: { trigger: 'axis', valueFormatter: moneyText },
    legend: { top: 0, data: ['收款', '退款', '净收款'] },
    grid: { left: 16, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => textOf(r, 'group')) },
    yAxis: { type: 'value', axisLabel: { formatter: axisMoney } },
    series: [
      { name: '收款', type: 'bar', barMaxWidth: 40, data: rows.map((r) => integerOf(r, 'received_fen')), itemStyle: { color: BLUE } },
      { name: '退款', type: 'bar', barMaxWidth: 40, data: rows.map((r) => -Math.abs(integerOf(r, 'refunded_fen'))), itemStyle: { color: RED } },
      { name: '净收款', type: 'line', data: rows.map((r) => integerOf(r, 'net_fen')), itemStyle: { color: GREEN } },
    ],
  }
}
