import { describe, expect, it, vi, beforeEach } from 'vitest'
import { nextTick, ref } from 'vue'
import { ApiError } from '@/api/errors'
import type { ReportRequest } from './reportApi'
import type { Report } from './reportFormat'

const fetchReport = vi.fn<(r: ReportRequest, page: { limit?: number; offset?: number }) => Promise<Report>>()
vi.mock('./reportApi', async (original) => ({
  ...(await original<typeof import('./reportApi')>()),
  fetchReport: (r: ReportRequest, page: { limit?: number; offset?: number }) => fetchReport(r, page),
}))
const { useReport } = await import('./useReport')

function body(title: string): Report {
  return { report: 'sales', title, columns: [], rows: [], totals: {}, total_rows: 0 }
}
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await nextTick()
}

beforeEach(() => {
  fetchReport.mockReset()
  fetchReport.mockImplementation(async (r) => body(JSON.stringify(r.query)))
})

describe('useReport', () => {
  it('loads only once shown, and once per filter and page', async () => {
    const active = ref(false)
    const from = ref('2026-12-01')
    const s = useReport(
      () => ({ path: '/api/v1/reports/sales', query: { project_id: 'p', from: from.value, to: '2026-12-31' } }),
      () => active.value,
    )
    await settle()
    expect(fetchReport).not.toHaveBeenCalled() // lazy: the tab is not shown

    active.value = true
    await settle()
    expect(fetchReport).toHaveBeenCalledTimes(1)
    expect(fetchReport.mock.lastCall?.[1]).toEqual({ limit: 50, offset: 0 })
    expect(s.paged.value).toBe(true)
    expect(s.report.value?.title).toContain('2026-12-01')

    active.value = false
    await settle()
    active.value = true
    await settle()
    expect(fetchReport).toHaveBeenCalledTimes(1) // same filter: kept

    s.offset.value = 100
    await settle()
    expect(fetchReport.mock.lastCall?.[1]).toEqual({ limit: 50, offset: 100 })

    from.value = '2026-11-01' // a new filter starts at the first page
    await settle()
    expect(fetchReport).toHaveBeenCalledTimes(3)
    expect(s.offset.value).toBe(0)
    expect(fetchReport.mock.lastCall?.[1]).toEqual({ limit: 50, offset: 0 })

    await s.reload()
    expect(fetchReport).toHaveBeenCalledTimes(4)
  })

  it('a change while hidden loads on the next showing; reload while hidden waits too', async () => {
    const active = ref(true)
    const group = ref<'day' | 'week'>('day')
    const s = useReport(
      () => ({ path: '/api/v1/reports/conversion', query: { project_id: 'p', group: group.value } }),
      () => active.value,
    )
    await settle()
    expect(fetchReport).toHaveBeenCalledTimes(1)
    expect(s.paged.value).toBe(false)
    active.value = false
    group.value = 'week'
    await s.reload()
    await settle()
    expect(fetchReport).toHaveBeenCalledTimes(1)
    active.value = true
    await settle()
    expect(fetchReport).toHaveBeenCalledTimes(2)
    expect(fetchReport.mock.lastCall?.[0].query).toMatchObject({ group: 'week' })
  })

  it('keeps the error for the screen; a retry asks again; no request without a filter', async () => {
    const project = ref('')
    fetchReport.mockRejectedValueOnce(new ApiError(503, 'dependency_unavailable', 'reporting down'))
    const s = useReport(() => (project.value ? { path: '/api/v1/reports/sales-control', query: { project_id: project.value } } : null))
    await settle()
    expect(fetchReport).not.toHaveBeenCalled()
    project.value = 'p'
    await settle()
    expect(s.error.value?.code).toBe('dependency_unavailable')
    expect(s.report.value).toBeNull()
    expect(s.loading.value).toBe(false)
    await s.reload()
    expect(s.error.value).toBeNull()
    expect(s.report.value).not.toBeNull()
  })

  it('drops the late answer of an older filter', async () => {
    const from = ref('2026-10-01')
    let release: (r: Report) => void = () => {}
    fetchReport.mockImplementationOnce(() => new Promise<Report>((resolve) => (release = resolve)))
    const s = useReport(() => ({ path: '/api/v1/reports/payments', query: { from: from.value } }))
    await settle()
    from.value = '2026-11-01'
    await settle()
    expect(s.report.value?.title).toContain('2026-11-01')
    release(body('old'))
    await settle()
    expect(s.report.value?.title).toContain('2026-11-01')
  })
})
