import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, errorText } from '@/api/errors'
import { setSessionHooks } from '@/api/session'
import { downloadReport, fetchReport } from './reportApi'

const REPORT = {
  report: 'sales',
  title: '销售明细分析表',
  columns: [{ key: 'price_fen', title: '成交总价(元)', kind: 'fen' }],
  rows: [{ price_fen: 100 }],
  totals: { price_fen: 100 },
  total_rows: 1,
  limit: 50,
  offset: 0,
}

let seen: Request[] = []
function answer(response: () => Response): void {
  vi.stubGlobal('fetch', async (r: Request) => {
    seen.push(r)
    return response()
  })
}

beforeEach(() => {
  seen = []
  setSessionHooks({ accessToken: () => 'tok', refresh: async () => false, lost: () => {} })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  setSessionHooks({ accessToken: () => null, refresh: async () => false, lost: () => {} })
})

describe('fetchReport', () => {
  it('asks a page of a paged report with the filter and the bearer token', async () => {
    answer(() => Response.json(REPORT))
    const r = await fetchReport(
      { path: '/api/v1/reports/sales', query: { project_id: 'p1', from: '2026-12-01', to: '2026-12-31', status: undefined } },
      { limit: 20, offset: 40 },
    )
    expect(r.title).toBe('销售明细分析表')
    const url = new URL(seen[0]!.url)
    expect(url.pathname).toBe('/api/v1/reports/sales')
    expect(Object.fromEntries(url.searchParams)).toEqual({ project_id: 'p1', from: '2026-12-01', to: '2026-12-31', limit: '20', offset: '40' })
    expect(seen[0]!.headers.get('Authorization')).toBe('Bearer tok')
  })
  it('sends no page to a report that has none', async () => {
    answer(() => Response.json({ ...REPORT, report: 'sales_control' }))
    await fetchReport({ path: '/api/v1/reports/sales-control', query: { project_id: 'p1' } }, { limit: 20, offset: 40 })
    expect(Object.fromEntries(new URL(seen[0]!.url).searchParams)).toEqual({ project_id: 'p1' })
  })
  it('throws the server error as an ApiError, and refuses an answer that is not a report', async () => {
    answer(() => Response.json({ error: { code: 'project_forbidden', message: 'not yours' } }, { status: 404 }))
    await expect(fetchReport({ path: '/api/v1/reports/sales-control', query: {} })).rejects.toMatchObject({
      status: 404,
      code: 'project_forbidden',
    })
    answer(() => Response.json({ items: [] }))
    await expect(fetchReport({ path: '/api/v1/reports/sales-control', query: {} })).rejects.toMatchObject({ code: 'bad_response' })
  })
})

describe('downloadReport', () => {
  function fakeDom() {
    const link = { href: '', download: '', rel: '', style: {} as Record<string, string>, click: vi.fn(), remove: vi.fn() }
    const appended: unknown[] = []
    vi.stubGlobal('document', { createElement: () => link, body: { appendChild: (x: unknown) => appended.push(x) } })
    const created: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob)
      return 'blob:report-1'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    return { link, appended, created }
  }

  it('fetches every row as xlsx with the token and saves it under the Chinese name', async () => {
    const dom = fakeDom()
    answer(
      () =>
        new Response(new Uint8Array([0x50, 0x4b, 3, 4]), {
          headers: {
            'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'Content-Disposition':
              "attachment; filename=\"sales.xlsx\"; filename*=UTF-8''%E9%94%80%E5%94%AE%E6%98%8E%E7%BB%86%E5%88%86%E6%9E%90%E8%A1%A8.xlsx",
          },
        }),
    )
    const name = await downloadReport(
      { path: '/api/v1/reports/sales', query: { project_id: 'p1', from: '2026-12-01', to: '2026-12-31' } },
      'xlsx',
      '销售明细分析表',
    )
    expect(name).toBe('销售明细分析表.xlsx')
    const url = new URL(seen[0]!.url)
    expect(Object.fromEntries(url.searchParams)).toEqual({ project_id: 'p1', from: '2026-12-01', to: '2026-12-31', format: 'xlsx' })
    expect(seen[0]!.headers.get('Authorization')).toBe('Bearer tok')
    expect(dom.link.download).toBe('销售明细分析表.xlsx')
    expect(dom.link.href).toBe('blob:report-1')
    expect(dom.link.click).toHaveBeenCalledOnce()
    expect(dom.link.remove).toHaveBeenCalledOnce()
    expect(new Uint8Array(await dom.created[0]!.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]))
  })

  it('without a file name from the server: the title and the extension', async () => {
    const dom = fakeDom()
    answer(() => new Response('\ufeff日期,金额\n', { headers: { 'Content-Type': 'text/csv; charset=utf-8' } }))
    await downloadReport({ path: '/api/v1/reports/payments-summary', query: { group: 'week' } }, 'csv', '收退款汇总表')
    expect(dom.link.download).toBe('收退款汇总表.csv')
    expect(new URL(seen[0]!.url).searchParams.get('group')).toBe('week')
  })

  it('a refused export throws (422 export_too_large) and saves nothing', async () => {
    const dom = fakeDom()
    answer(() =>
      Response.json(
        { error: { code: 'export_too_large', message: 'the report has 100001 rows; a download holds at most 100000' } },
        { status: 422 },
      ),
    )
    const err = await downloadReport({ path: '/api/v1/reports/sales', query: {} }, 'csv', '销售明细分析表').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('export_too_large')
    expect(errorText(err)).toContain('超过导出上限') // zh-CN first, the server's words after it
    expect(errorText(err)).toContain('100000')
    expect(dom.link.click).not.toHaveBeenCalled()
  })
})
