// State of one report on a screen: loaded lazily (only while `active`), again when its filter
// or page changes, or when asked (刷新, 重试). A late answer of an older filter is dropped.
import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import { toApiError, type ApiError } from '@/api/errors'
import { fetchReport, isPaged, type ReportRequest } from './reportApi'
import { DEFAULT_PAGE_SIZE, type Report } from './reportFormat'

export interface ReportState {
  report: Ref<Report | null>
  loading: Ref<boolean>
  error: Ref<ApiError | null>
  /** first row of the page (paged reports) */
  offset: Ref<number>
  /** rows per page (paged reports) */
  limit: Ref<number>
  paged: Readonly<Ref<boolean>>
  /** loads again now (or, when not active, on the next activation) */
  reload(): Promise<void>
  /** loads unless the same filter and page are loaded or loading */
  ensure(): Promise<void>
}

/**
 * @param request the report and its filter; null while it cannot be asked (no project yet)
 * @param active whether the report is on screen (its tab is shown)
 */
export function useReport(request: () => ReportRequest | null, active: () => boolean = () => true): ReportState {
  const report = shallowRef<Report | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const offset = ref(0)
  const limit = ref(DEFAULT_PAGE_SIZE)
  const filterKey = computed(() => {
    const r = request()
    return r ? JSON.stringify(r) : ''
  })
  const paged = computed(() => {
    const r = request()
    return r !== null && isPaged(r.path)
  })
  const key = computed(() => (filterKey.value && paged.value ? `${filterKey.value}|${limit.value}|${offset.value}` : filterKey.value))
  let loadedKey = ''
  let seq = 0

  async function load(): Promise<void> {
    const r = request()
    if (!r) return
    const mine = ++seq
    loadedKey = key.value
    loading.value = true
    error.value = null
    try {
      const body = await fetchReport(r, { limit: limit.value, offset: offset.value })
      if (mine === seq) report.value = body
    } catch (e) {
      if (mine === seq) {
        error.value = toApiError(e)
        report.value = null
        loadedKey = '' // a retry, or the next activation, asks again
      }
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  async function ensure(): Promise<void> {
    if (!active() || !key.value || key.value === loadedKey) return
    await load()
  }

  async function reload(): Promise<void> {
    loadedKey = ''
    await ensure()
  }

  // A new filter starts at the first page.
  watch(filterKey, () => {
    offset.value = 0
  })
  watch([key, active], () => void ensure(), { immediate: true })

  return { report, loading, error, offset, limit, paged, reload, ensure }
}
