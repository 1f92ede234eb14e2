// 合同查询 and 待备案: buyer names from the customer service (CUS-8 masked:
// GET /api/v1/customers:lookup), and the pure helpers of contractSearchModel.ts.
import { computed, ref } from 'vue'
import { api, unwrap } from '@/api'
import { useAuthStore } from '@/stores/auth'
import { canCall } from '@/utils/permissions'
import { customerLabel, type CustomerBrief } from './contractSearchModel'

export * from './contractSearchModel'

/** Buyer names for customer ids, asked in batches of 100; nothing when the role may not. */
export function useCustomerNames() {
  const auth = useAuthStore()
  const known = ref<Record<string, CustomerBrief>>({})
  const allowed = computed(() => canCall(auth.roles, 'GET', '/api/v1/customers:lookup'))

  async function resolve(ids: readonly string[]): Promise<void> {
    if (!allowed.value) return
    const missing = [...new Set(ids)].filter((id) => id && !known.value[id])
    for (let i = 0; i < missing.length; i += 100) {
      const batch = missing.slice(i, i + 100)
      try {
        const body = await unwrap(api.GET('/api/v1/customers:lookup', { params: { query: { ids: batch.join(',') } } }))
        const next = { ...known.value }
        for (const c of body.items) next[c.id] = c
        known.value = next
      } catch {
        return // names are a convenience: rows keep the short id
      }
    }
  }

  function label(id: string): string {
    return customerLabel(known.value[id], id)
  }

  return { resolve, label, allowed, known }
}

