import { computed, ref } from 'vue'
import { api, unwrap } from '@/api'
import { useAuthStore } from '@/stores/auth'
import { canCall } from '@/utils/permissions'

export interface RepOption {
  id: string
  label: string
}

/**
 * Names for rep ids (a rep id is the user's id, the token's `sub`). The API has no staff
 * directory for sales managers: only administrators may read GET /api/v1/users. So an
 * administrator sees display names, a manager sees the ids the screens met (owners, claimants,
 * departures) with "我" for themself — and may type any rep id.
 */
export function useRepDirectory() {
  const auth = useAuthStore()
  const names = ref<Record<string, string>>({})
  const seen = ref<Set<string>>(new Set())
  const reps = ref<Set<string>>(new Set())
  let loaded = false

  async function load(): Promise<void> {
    if (loaded || !canCall(auth.roles, 'GET', '/api/v1/users')) return
    loaded = true
    try {
      const body = await unwrap(api.GET('/api/v1/users'))
      const next: Record<string, string> = {}
      const repIds = new Set<string>()
      for (const u of body.items ?? []) {
        if (!u.id) continue
        next[u.id] = `${u.display_name ?? u.username ?? u.id}（${u.username ?? ''}）`
        if (!u.disabled && (u.roles ?? []).includes('sales_rep')) repIds.add(u.id)
      }
      names.value = next
      reps.value = repIds
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

  /** choices for a target rep: the reps of the directory, then every id met on the screen */
  const options = computed<RepOption[]>(() => {
    const ids = new Set<string>([...reps.value, ...seen.value])
    return [...ids].map((id) => ({ id, label: label(id) })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))
  })

  return { load, remember, label, options }
}
