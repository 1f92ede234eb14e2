import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api/client'
import { unwrap } from '@/api/unwrap'
import { toApiError, type ApiError } from '@/api/errors'
import type { components } from '@/api/schema'

export type Project = components['schemas']['Project']

const CURRENT_KEY = 'sales.current_project'

function local(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/**
 * The caller's projects (GET /api/v1/projects: the gateway and inventory scope it to the
 * token's projects; a `*` user sees all) and the current project, kept in localStorage.
 * Screens read `currentId` / `current` and watch it to reload their data.
 */
export const useProjectStore = defineStore('project', () => {
  const projects = ref<Project[]>([])
  const currentId = ref<string>(local()?.getItem(CURRENT_KEY) ?? '')
  const loading = ref(false)
  const error = ref<ApiError | null>(null)
  const loaded = ref(false)

  const current = computed<Project | null>(() => projects.value.find((p) => p.id === currentId.value) ?? null)

  function select(id: string): void {
    currentId.value = id
    if (id) local()?.setItem(CURRENT_KEY, id)
    else local()?.removeItem(CURRENT_KEY)
  }

  async function load(force = false): Promise<void> {
    if (loading.value || (loaded.value && !force)) return
    loading.value = true
    error.value = null
    try {
      const items: Project[] = []
      // Pages of 500 (the API's maximum) until a short page.
      for (let offset = 0; ; offset += 500) {
        const page = await unwrap(api.GET('/api/v1/projects', { params: { query: { limit: 500, offset } } }))
        const got = page.items ?? []
        items.push(...got)
        if (got.length < 500) break
      }
      items.sort((a, b) => (a.code ?? '').localeCompare(b.code ?? ''))
      projects.value = items
      loaded.value = true
      if (!items.some((p) => p.id === currentId.value)) select(items[0]?.id ?? '')
    } catch (e) {
      error.value = toApiError(e)
    } finally {
      loading.value = false
    }
  }

  function reset(): void {
    projects.value = []
    loaded.value = false
    error.value = null
  }

  return { projects, currentId, current, loading, error, loaded, select, load, reset }
})
