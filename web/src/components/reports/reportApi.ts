// Calls of the reporting service's routes (GET /api/v1/reports/…, permission report.read):
// a page of a report as JSON, or the whole report as a download (xlsx/csv) through the same
// typed client, so the download carries the session's bearer token (and refreshes it on a 401).
// (the modules of '@/api', not its index: that one brings Element Plus's message along, and these
// calls are unit-tested without a DOM)
import { api } from '@/api/client'
import { apiErrorFrom, ApiError, toApiError } from '@/api/errors'
import type { paths } from '@/api/schema'
import { downloadFileName, isReport, type ExportFormat, type Report } from './reportFormat'

export type ReportPath =
  | '/api/v1/reports/sales'
  | '/api/v1/reports/sales-summary'
  | '/api/v1/reports/cancellations'
  | '/api/v1/reports/unit-changes'
  | '/api/v1/reports/payments'
  | '/api/v1/reports/payments-summary'
  | '/api/v1/reports/sales-control'
  | '/api/v1/reports/conversion'
  | '/api/v1/reports/mortgages'

/** The query of a report route as openapi.yaml declares it, without format and paging. */
export type ReportQueryOf<P extends ReportPath> = Omit<
  NonNullable<paths[P]['get']['parameters']['query']>,
  'format' | 'limit' | 'offset'
>

/** A report and its filter: `{ path: '/api/v1/reports/sales-summary', query: { group: 'day', … } }`. */
export type ReportRequest = { [P in ReportPath]: { path: P; query: ReportQueryOf<P> } }[ReportPath]

/** What is added to the filter: a page (paged reports), or the format of a download. */
export interface ReportExtra {
  limit?: number
  offset?: number
  format?: 'json' | ExportFormat
}

interface Answer {
  data?: unknown
  error?: unknown
  response: Response
}

/** One typed call per route: openapi-fetch checks the path and the query of each. */
async function call(r: ReportRequest, extra: ReportExtra, parseAs: 'json' | 'blob'): Promise<Answer> {
  const page = { limit: extra.limit, offset: extra.offset }
  const format = extra.format
  switch (r.path) {
    case '/api/v1/reports/sales':
      return api.GET(r.path, { params: { query: { ...r.query, ...page, format } }, parseAs })
    case '/api/v1/reports/cancellations':
      return api.GET(r.path, { params: { query: { ...r.query, ...page, format } }, parseAs })
    case '/api/v1/reports/unit-changes':
      return api.GET(r.path, { params: { query: { ...r.query, ...page, format } }, parseAs })
    case '/api/v1/reports/payments':
      return api.GET(r.path, { params: { query: { ...r.query, ...page, format } }, parseAs })
    case '/api/v1/reports/mortgages':
      return api.GET(r.path, { params: { query: { ...r.query, ...page, format } }, parseAs })
    case '/api/v1/reports/sales-summary':
      return api.GET(r.path, { params: { query: { ...r.query, format } }, parseAs })
    case '/api/v1/reports/payments-summary':
      return api.GET(r.path, { params: { query: { ...r.query, format } }, parseAs })
    case '/api/v1/reports/sales-control':
      return api.GET(r.path, { params: { query: { ...r.query, format } }, parseAs })
    case '/api/v1/reports/conversion':
      return api.GET(r.path, { params: { query: { ...r.query, format } }, parseAs })
  }
}

/** Whether the route answers in pages (limit/offset). */
export function isPaged(path: ReportPath): boolean {
  return (
    path === '/api/v1/reports/sales' ||
    path === '/api/v1/reports/cancellations' ||
    path === '/api/v1/reports/unit-changes' ||
    path === '/api/v1/reports/payments' ||
    path === '/api/v1/reports/mortgages'
  )
}

/** A report as JSON (a page of it for paged reports); throws an ApiError. */
export async function fetchReport(request: ReportRequest, page: { limit?: number; offset?: number } = {}): Promise<Report> {
  let answer: Answer
  try {
    answer = await call(request, isPaged(request.path) ? page : {}, 'json')
  } catch (e) {
    throw toApiError(e)
  }
  if (!answer.response.ok) throw apiErrorFrom(answer.response, answer.error)
  if (!isReport(answer.data)) throw new ApiError(answer.response.status, 'bad_response', '服务器返回了无法识别的报表')
  return answer.data
}

/** Saves a Blob as a file through a temporary <a download> on an object URL. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.appendChild(a)
  try {
    a.click()
  } finally {
    a.remove()
    // the click has handed the URL to the download; free it once the browser took it
    setTimeout(() => URL.revokeObjectURL(url), 30_000)
  }
}

/**
 * Downloads the whole report (every row, not the page shown) as xlsx or csv and saves it under
 * the server's Chinese file name (`filename*` of Content-Disposition), else "<title>.<format>".
 * Throws an ApiError (e.g. 422 export_too_large). Returns the file name.
 */
export async function downloadReport(request: ReportRequest, format: ExportFormat, title: string): Promise<string> {
  let answer: Answer
  try {
    answer = await call(request, { format }, 'blob')
  } catch (e) {
    throw toApiError(e)
  }
  if (!answer.response.ok) throw apiErrorFrom(answer.response, answer.error)
  if (!(answer.data instanceof Blob)) throw new ApiError(answer.response.status, 'bad_response', '服务器没有返回文件')
  const name = downloadFileName(answer.response.headers.get('Content-Disposition'), title, format)
  saveBlob(answer.data, name)
  return name
}
