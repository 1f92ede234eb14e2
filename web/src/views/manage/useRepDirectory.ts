import { computed, ref } from 'vue'
import { api, unwrap } from '@/api'
import { useAuthStore } from '@/stores/auth'
import { canCall } from '@/utils/permissions'

export interface RepOption {
  id: string
  label: string
}

/**
 * Names for rep ids (a rep id is the user's id, the token's `sub`), from GET /api/v1/staff: the
 * colleagues of the caller's projects, readable by sales managers, finance, executives and
 * administrators. An id the directory does not know (a user of a project the caller does not
 * hold) shows as the id; "（我）" marks the caller.
 */
export function useRepDirectory() {
  const auth = useAuthStore()
  const names = ref<Record<string, string>>({})
  const seen = ref<Set<string>>(new Set())
  const reps = ref<Set<string>>(new Set())
  const formerReps = ref<Set<string>>(new Set())
  let loaded = false

  async function load(): Promise<void> {
    if (loaded || !canCall(auth.roles, 'GET', '/api/v1/staff')) return
    loaded = true
    try {
      const body = await unwrap(api.GET('/api/v1/staff'))
      const next: Record<string, string> = {}
      const repIds = new Set<string>()
      const formerIds = new Set<string>()
      for (const u of body.items ?? []) {
        if (!u.id) continue
        next[u.id] = `${u.display_name || u.username || u.id}（${u.username ?? ''}）${u.disabled ? '（已停用）' : ''}`
        if ((u.roles ?? []).includes('sales_rep')) (u.disabled ? formerIds : repIds).add(u.id)
      }
      names.value = next
      reps.value = repIds
      formerReps.value = formerIds
    } catch {
      loaded = false // names are a convenience: the screens work with ids
    }
  }

  function remember(...ids: (string | null | undefined)[]): void {
    for (const id of ids) if (id) seen.value.add(id)
  }

  function label(id: string | null | undefined): string {
    if (!id) return '—'
    const name = names.value[id]
    const mine = id === auth.userId ? '（我）' : ''
    return name ? `${name}${mine}` : `${id}${mine}`
  }

  const sorted = (ids: Set<string>): RepOption[] =>
    [...ids].map((id) => ({ id, label: label(id) })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))
  /** choices for a target rep (接手顾问): the active reps of the directory, and every id met on the screen */
  const options = computed<RepOption[]>(() => sorted(new Set<string>([...reps.value, ...seen.value])))
  /** choices for a rep who owns or owned customers (归属顾问, 离职顾问): disabled reps too */
  const allOptions = computed<RepOption[]>(() => sorted(new Set<string>([...reps.value, ...formerReps.value, ...seen.value])))

  return { load, remember, label, options, allOptions }
}
