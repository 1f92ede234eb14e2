import { describe, expect, it } from 'vitest'
import {
  downloadFileName,
  filenameFromDisposition,
  formatCell,
  integerOf,
  isNumericKind,
  isReport,
  textOf,
  totalsTexts,
  type Report,
} from './reportFormat'

const sample: Report = {
  report: 'sales_summary',
  title: '销售汇总表',
  columns: [
    { key: 'group', title: '分组', kind: 'text' },
    { key: 'signed_count', title: '签约套数', kind: 'integer' },
    { key: 'signed_area_centi_m2', title: '签约面积(m²)', kind: 'centi_m2' },
    { key: 'signed_amount_fen', title: '签约金额(元)', kind: 'fen' },
    { key: 'rate_bp', title: '去化率', kind: 'basis_points' },
  ],
  rows: [{ group: '2026-12', signed_count: 2, signed_area_centi_m2: 21_850, signed_amount_fen: 330_000_001, rate_bp: 3333 }],
  totals: { group: '合计', signed_count: 2, signed_area_centi_m2: 21_850, signed_amount_fen: 330_000_001 },
  total_rows: 1,
}

describe('cells by column kind', () => {
  it('fen as money, centi_m2 as area, basis points as percent — integer arithmetic', () => {
    expect(formatCell('fen', 123_456_789)).toBe('¥1,234,567.89')
    expect(formatCell('fen', -5)).toBe('-¥0.05')
    expect(formatCell('fen', 0)).toBe('¥0.00')
    expect(formatCell('centi_m2', 12_345)).toBe('123.45')
    expect(formatCell('centi_m2', 123_456_700)).toBe('1,234,567.00')
    expect(formatCell('basis_points', 6_667)).toBe('66.67%')
    expect(formatCell('basis_points', 10_000)).toBe('100.00%')
    expect(formatCell('integer', 42)).toBe('42')
    expect(formatCell('text', '1栋')).toBe('1栋')
    expect(formatCell('text', 7)).toBe('7')
    // large amounts keep every digit (BigInt arithmetic, money is never divided as a float)
    expect(formatCell('fen', 900_719_925_474_099)).toBe('¥9,007,199,254,740.99')
  })
  it('missing values as a dash, texts in numeric columns as they are', () => {
    expect(formatCell('fen', null)).toBe('—')
    expect(formatCell('integer', undefined)).toBe('—')
    expect(formatCell('fen', '合计')).toBe('合计')
    expect(formatCell('text', '')).toBe('')
    expect(formatCell('fen', 1.5)).toBe('1.5') // not a whole fen: shown, never rounded
  })
  it('numbers align right', () => {
    expect(isNumericKind('text')).toBe(false)
    for (const k of ['integer', 'fen', 'centi_m2', 'basis_points'] as const) expect(isNumericKind(k)).toBe(true)
  })
})

describe('totals row', () => {
  it('one text per column; blank where nothing is summed', () => {
    expect(totalsTexts(sample)).toEqual(['合计', '2', '218.50', '¥3,300,000.01', ''])
  })
})

describe('row values for charts', () => {
  it('integers and texts of a row', () => {
    const row = sample.rows[0]!
    expect(integerOf(row, 'signed_amount_fen')).toBe(330_000_001)
    expect(integerOf(row, 'group')).toBe(0)
    expect(integerOf(row, 'missing')).toBe(0)
    expect(integerOf(undefined, 'x')).toBe(0)
    expect(textOf(row, 'group')).toBe('2026-12')
    expect(textOf(row, 'signed_count')).toBe('2')
    expect(textOf(row, 'missing')).toBe('')
  })
})

describe('isReport', () => {
  it('accepts the Report shape only', () => {
    expect(isReport(sample)).toBe(true)
    expect(isReport('a,b\n1,2')).toBe(false)
    expect(isReport(null)).toBe(false)
    expect(isReport({ report: 'sales', title: 'x', columns: [], rows: [] })).toBe(false)
  })
})

describe('file name of Content-Disposition', () => {
  it('prefers the UTF-8 filename* (the Chinese name)', () => {
    const header =
      "attachment; filename=\"sales.xlsx\"; filename*=UTF-8''%E9%94%80%E5%94%AE%E6%98%8E%E7%BB%86%E5%88%86%E6%9E%90%E8%A1%A8.xlsx"
    expect(filenameFromDisposition(header)).toBe('销售明细分析表.xlsx')
    expect(filenameFromDisposition("attachment; filename*=utf-8'zh-CN'%E9%80%80%E6%88%BF.csv")).toBe('退房.csv')
    expect(filenameFromDisposition("attachment; filename*=\"UTF-8''%E6%8D%A2%E6%88%BF.csv\"")).toBe('换房.csv')
    expect(filenameFromDisposition("attachment;filename*=UTF-8''a%20b.csv;filename=\"x.csv\"")).toBe('a b.csv')
  })
  it('falls back to filename, quoted or not', () => {
    expect(filenameFromDisposition('attachment; filename="sales.xlsx"')).toBe('sales.xlsx')
    expect(filenameFromDisposition('attachment; filename="a \\"b\\".csv"')).toBe('a "b".csv')
    expect(filenameFromDisposition('attachment; filename=payments.csv')).toBe('payments.csv')
    // a broken filename* does not hide a good filename
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E9%94; filename=\"sales.csv\"")).toBe('sales.csv')
  })
  it('no directories in a name; nothing usable → null', () => {
    expect(filenameFromDisposition("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd")).toBe('.._.._etc_passwd')
    expect(filenameFromDisposition('attachment')).toBeNull()
    expect(filenameFromDisposition('')).toBeNull()
    expect(filenameFromDisposition(null)).toBeNull()
    expect(filenameFromDisposition('attachment; filename=""')).toBeNull()
  })
  it('the title and the extension when the server names nothing', () => {
    expect(downloadFileName(null, '销售汇总表', 'xlsx')).toBe('销售汇总表.xlsx')
    expect(downloadFileName('attachment', '收退款明细表', 'csv')).toBe('收退款明细表.csv')
    expect(downloadFileName("attachment; filename*=UTF-8''%E6%8C%89%E6%8F%AD.xlsx", 'x', 'xlsx')).toBe('按揭.xlsx')
  })
})
