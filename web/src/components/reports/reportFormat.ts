// Pure helpers of the reporting service's reports (schema `Report` of docs/openapi.yaml): cell
// text by column kind, the totals row, and the file name of a download. Money (fen), areas
// (centi-m²) and rates (basis points) are integers: formatted with integer arithmetic only.
import type { Schema } from '@/api'
import { formatAreaNumber } from '@/utils/area'
import { formatFen } from '@/utils/money'
import { formatBasisPoints } from '@/utils/rate'

export type Report = Schema<'Report'>
export type ReportColumn = Report['columns'][number]
export type ReportKind = ReportColumn['kind']
export type ReportRow = Report['rows'][number]
export type ReportCell = ReportRow[string] | undefined
export type ExportFormat = 'xlsx' | 'csv'

export const REPORT_PAGE_SIZES = [20, 50, 100, 200, 500] as const
export const DEFAULT_PAGE_SIZE = 50

/** Whether an answer has the shape of a `Report` (the JSON of a report route). */
export function isReport(body: unknown): body is Report {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false
  const r = body as Record<string, unknown>
  return (
    typeof r['report'] === 'string' &&
    typeof r['title'] === 'string' &&
    Array.isArray(r['columns']) &&
    Array.isArray(r['rows']) &&
    typeof r['totals'] === 'object' &&
    r['totals'] !== null &&
    typeof r['total_rows'] === 'number'
  )
}

export function isNumericKind(kind: ReportKind): boolean {
  return kind !== 'text'
}

/**
 * The text of one cell: fen → "¥1,234.56", centi_m2 → "1,234.56", basis_points → "12.34%",
 * integer and text as they are; "—" for a missing value. A text in a numeric column (such as
 * "合计") is shown as it is.
 */
export function formatCell(kind: ReportKind, value: ReportCell): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value
  if (!Number.isSafeInteger(value)) return String(value)
  switch (kind) {
    case 'fen':
      return formatFen(value)
    case 'centi_m2':
      return formatAreaNumber(value)
    case 'basis_points':
      return formatBasisPoints(value)
    case 'integer':
    case 'text':
      return String(value)
  }
}

/** The totals row as texts, one per column ("" where the report sums nothing). */
export function totalsTexts(report: Pick<Report, 'columns' | 'totals'>): string[] {
  return report.columns.map((c) => {
    const v = report.totals[c.key]
    return v === undefined ? '' : formatCell(c.kind, v)
  })
}

/** A safe integer of a row (0 when missing or not a number): for charts. */
export function integerOf(row: Readonly<Record<string, ReportCell>> | undefined, key: string): number {
  const v = row?.[key]
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : 0
}

/** A text of a row ('' when missing; numbers as digits). */
export function textOf(row: Readonly<Record<string, ReportCell>> | undefined, key: string): string {
  const v = row?.[key]
  return v === null || v === undefined ? '' : String(v)
}

function cleanName(name: string): string | null {
  // no directories, no control characters: the name is only a suggestion for the save dialog
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\\/]/g, '_').trim()
  return clean === '' || clean === '.' || clean === '..' ? null : clean
}

function decodeExtValue(value: string): string | null {
  // RFC 5987 ext-value: charset "'" [ language ] "'" value-chars (percent-encoded bytes)
  const m = /^([^']*)'[^']*'(.*)$/.exec(value)
  if (!m) return null
  const charset = (m[1] ?? '').toLowerCase()
  const encoded = m[2] ?? ''
  try {
    if (charset === 'utf-8' || charset === 'utf8') return decodeURIComponent(encoded)
    if (charset === 'iso-8859-1' || charset === 'latin1')
      return encoded.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
  } catch {
    return null // malformed percent-encoding
  }
  return null
}

/**
 * The file name of `Content-Disposition`: `filename*` (RFC 6266/5987, UTF-8 percent-encoded —
 * the Chinese name) before `filename`; null when there is none.
 *
 *   attachment; filename="sales.xlsx"; filename*=UTF-8''%E9%94%80%E5%94%AE.xlsx → "销售.xlsx"
 */
export function filenameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null
  const star = /(?:^|;)\s*filename\*\s*=\s*("?)([^";]*)\1\s*(?:;|$)/i.exec(header)
  if (star) {
    const decoded = decodeExtValue((star[2] ?? '').trim())
    const name = decoded === null ? null : cleanName(decoded)
    if (name) return name
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header)
  if (quoted) return cleanName((quoted[1] ?? '').replace(/\\(.)/g, '$1'))
  const token = /(?:^|;)\s*filename\s*=\s*([^";\s]+)/i.exec(header)
  if (token) return cleanName(token[1] ?? '')
  return null
}

/** The name to save a download under: the server's, else "<title>.<format>". */
export function downloadFileName(header: string | null | undefined, title: string, format: ExportFormat): string {
  return filenameFromDisposition(header) ?? cleanName(`${title}.${format}`) ?? `report.${format}`
}
