import { afterEach, describe, expect, it, vi } from 'vitest'
import { authorizedFetch } from './client'
import { setSessionHooks } from './session'

const URL_BASE = 'http://console.test'

function session(initial: string | null) {
  const state = { token: initial, refreshes: 0, lost: 0 }
  setSessionHooks({
    accessToken: () => state.token,
    refresh: async () => {
      state.refreshes++
      await new Promise((r) => setTimeout(r, 10))
      state.token = `fresh-${state.refreshes}`
      return true
    },
    lost: () => {
      state.lost++
      state.token = null
    },
  })
  return state
}

afterEach(() => {
  setSessionHooks({ accessToken: () => null, refresh: async () => false, lost: () => {} })
})

describe('authorizedFetch', () => {
  it('adds Authorization and X-Request-Id', async () => {
    session('tok')
    const seen: Request[] = []
    await authorizedFetch(new Request(`${URL_BASE}/api/v1/auth/me`), async (r) => {
      seen.push(r)
      return new Response('{}', { status: 200 })
    })
    expect(seen[0]?.headers.get('Authorization')).toBe('Bearer tok')
    expect(seen[0]?.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('never sends the bearer token to login/refresh, and never retries them', async () => {
    const s = session('tok')
    const seen: Request[] = []
    const res = await authorizedFetch(new Request(`${URL_BASE}/api/v1/auth/login`, { method: 'POST', body: '{}' }), async (r) => {
      seen.push(r)
      return new Response('{}', { status: 401 })
    })
    expect(res.status).toBe(401)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.headers.get('Authorization')).toBeNull()
    expect(s.refreshes).toBe(0)
    expect(s.lost).toBe(0)
  })

  it('on 401 refreshes once and retries with the new token, body and Idempotency-Key intact', async () => {
    const s = session('old')
    const seen: { auth: string | null; body: string; key: string | null }[] = []
    const res = await authorizedFetch(
      new Request(`${URL_BASE}/api/v1/payments`, {
        method: 'POST',
        body: JSON.stringify({ amount_fen: 100 }),
        headers: { 'Idempotency-Key': 'k-1', 'Content-Type': 'application/json' },
      }),
      async (r) => {
        seen.push({ auth: r.headers.get('Authorization'), body: await r.text(), key: r.headers.get('Idempotency-Key') })
        return new Response('{}', { status: r.headers.get('Authorization') === 'Bearer old' ? 401 : 201 })
      },
    )
    expect(res.status).toBe(201)
    expect(s.refreshes).toBe(1)
    expect(seen).toEqual([
      { auth: 'Bearer old', body: '{"amount_fen":100}', key: 'k-1' },
      { auth: 'Bearer fresh-1', body: '{"amount_fen":100}', key: 'k-1' },
    ])
  })

  it('concurrent 401s share one refresh', async () => {
    const s = session('old')
    const base = async (r: Request) =>
      new Response('{}', { status: r.headers.get('Authorization') === 'Bearer old' ? 401 : 200 })
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => authorizedFetch(new Request(`${URL_BASE}/api/v1/units/${i}`), base)),
    )
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(s.refreshes).toBe(1)
    expect(s.lost).toBe(0)
  })

  it('refresh refused → session lost, the 401 is returned', async () => {
    const state = { lost: 0 }
    setSessionHooks({ accessToken: () => 'old', refresh: async () => false, lost: () => void state.lost++ })
    const base = vi.fn(async () => new Response('{}', { status: 401 }))
    const res = await authorizedFetch(new Request(`${URL_BASE}/api/v1/projects`), base)
    expect(res.status).toBe(401)
    expect(base).toHaveBeenCalledTimes(1)
    expect(state.lost).toBe(1)
  })

  it('401 again after the refresh → session lost', async () => {
    const s = session('old')
    const res = await authorizedFetch(new Request(`${URL_BASE}/api/v1/projects`), async () => new Response('{}', { status: 401 }))
    expect(res.status).toBe(401)
    expect(s.refreshes).toBe(1)
    expect(s.lost).toBe(1)
  })

  it('a 401 about the request itself (wrong current password) is not a lost session', async () => {
    const s = session('tok')
    const body = JSON.stringify({ error: { code: 'invalid_credentials', message: 'invalid username or password' } })
    const base = vi.fn(async () => new Response(body, { status: 401 }))
    const res = await authorizedFetch(new Request(`${URL_BASE}/api/v1/auth/password`, { method: 'POST', body: '{}' }), base)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(JSON.parse(body))
    expect(base).toHaveBeenCalledTimes(1)
    expect(s.refreshes).toBe(0)
    expect(s.lost).toBe(0)
  })

  it('a 401 unauthenticated (expired token) refreshes', async () => {
    const s = session('old')
    const expired = JSON.stringify({ error: { code: 'unauthenticated', message: 'token expired' } })
    const res = await authorizedFetch(new Request(`${URL_BASE}/api/v1/projects`), async (r) =>
      r.headers.get('Authorization') === 'Bearer old' ? new Response(expired, { status: 401 }) : new Response('{}', { status: 200 }),
    )
    expect(res.status).toBe(200)
    expect(s.refreshes).toBe(1)
  })

  it('other errors pass through untouched', async () => {
    const s = session('tok')
    const res = await authorizedFetch(new Request(`${URL_BASE}/api/v1/projects`), async () => new Response('{}', { status: 403 }))
    expect(res.status).toBe(403)
    expect(s.refreshes).toBe(0)
  })
})
