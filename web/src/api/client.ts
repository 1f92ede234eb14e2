import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { uuid } from './ids'
import { refreshShared, sessionHooks } from './session'

const AUTH_OPEN = /\/api\/v1\/auth\/(login|refresh)$/

function isOpenAuthRoute(url: string): boolean {
  return AUTH_OPEN.test(new URL(url, 'http://x').pathname)
}

function withHeaders(request: Request, token: string | null): Request {
  const headers = new Headers(request.headers)
  if (token && !isOpenAuthRoute(request.url)) headers.set('Authorization', `Bearer ${token}`)
  if (!headers.has('X-Request-Id')) headers.set('X-Request-Id', uuid())
  return new Request(request, { headers })
}

async function errorCodeOf(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.clone().json()
    if (body && typeof body === 'object' && 'error' in body) {
      const error = (body as { error: unknown }).error
      if (error && typeof error === 'object' && 'code' in error) {
        const code = (error as { code: unknown }).code
        return typeof code === 'string' ? code : null
      }
    }
  } catch {
    // not JSON: treat like a refused token
  }
  return null
}

/** openapi-fetch middleware: `Authorization: Bearer <access>` and an `X-Request-Id`. */
export const authHeaders: Middleware = {
  onRequest({ request }) {
    return withHeaders(request, sessionHooks().accessToken())
  },
}

/**
 * fetch with the session: adds the headers, and on a 401 `unauthenticated` (the token was
 * refused) refreshes the tokens once (shared by
 * concurrent requests) and sends the request again with the new token. A 401 is answered before
 * any service acts (the gateway and the services check the token first), so repeating a POST
 * after it is safe; it keeps its Idempotency-Key anyway. When the refresh fails, or the retry
 * is 401 again, the session is lost: the hooks log out to /login?redirect=….
 * Use it directly for requests outside the typed client (downloads, streams).
 */
export async function authorizedFetch(
  input: Request,
  baseFetch: (r: Request) => Promise<Response> = (r) => globalThis.fetch(r),
): Promise<Response> {
  const hooks = sessionHooks()
  const openRoute = isOpenAuthRoute(input.url)
  const used = hooks.accessToken()
  // Keep an unread copy of the body for a retry (the first send consumes it).
  const copy = openRoute || !used ? null : input.clone()
  const response = await baseFetch(withHeaders(input, used))
  if (response.status !== 401 || openRoute) return response
  // Only a refused token is worth a refresh. Another 401 (`invalid_credentials` for a wrong
  // current password on POST /auth/password) is about the request: hand it to the caller.
  const code = await errorCodeOf(response)
  if (code !== null && code !== 'unauthenticated') return response
  // A 401 without a session (e.g. a request still in flight after logout): nothing to refresh;
  // the router guard sends the user to /login on the next navigation.
  if (!copy) return response
  // Another request may already have refreshed while this one was in flight.
  const current = hooks.accessToken()
  const renewed = (current !== null && current !== used) || (await refreshShared())
  const token = hooks.accessToken()
  if (!renewed || !token) {
    hooks.lost()
    return response
  }
  const retried = await baseFetch(withHeaders(copy, token))
  if (retried.status === 401) hooks.lost()
  return retried
}

function origin(): string {
  return typeof window !== 'undefined' ? window.location.origin : 'http://127.0.0.1'
}

/**
 * The typed API client (types from schema.d.ts, generated from docs/openapi.yaml). Calls go to
 * the same origin (the gateway; the dev server proxies /api to it).
 *
 *   const { data, error, response } = await api.GET('/api/v1/projects', { params: { query: { limit: 100 } } })
 *
 * Prefer `unwrap(api.GET(...))` from '@/api', which returns data or throws an ApiError.
 */
export const api = createClient<paths>({
  baseUrl: origin(),
  fetch: (request: Request) => authorizedFetch(request),
})
api.use(authHeaders)
