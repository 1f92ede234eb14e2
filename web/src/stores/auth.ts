import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api/client'
import { unwrap } from '@/api/unwrap'
import { refreshShared } from '@/api/session'
import { ApiError, toApiError } from '@/api/errors'
import type { paths } from '@/api/schema'

type Tokens = paths['/api/v1/auth/login']['post']['responses'][200]['content']['application/json']
type MeBody = paths['/api/v1/auth/me']['get']['responses'][200]['content']['application/json']

/** GET /auth/me, with the field the lead is adding (optional until it is in openapi.yaml). */
export type Me = MeBody & { must_change_password?: boolean }

const REFRESH_KEY = 'sales.refresh_token'
const USERNAME_KEY = 'sales.username'
const MUST_CHANGE_KEY = 'sales.must_change_password'
/** refresh this long before the access token expires */
const REFRESH_LEAD_SECONDS = 60

function readFlag(body: unknown, name: string): boolean | undefined {
  if (body && typeof body === 'object' && name in body) {
    const v = (body as Record<string, unknown>)[name]
    if (typeof v === 'boolean') return v
  }
  return undefined
}

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage
  } catch {
    return null
  }
}

/**
 * The session: access token in memory only, refresh token in sessionStorage (survives a reload
 * of the tab, not a new browser), silent refresh a minute before the access token expires.
 */
export const useAuthStore = defineStore('auth', () => {
  const accessToken = ref<string | null>(null)
  const me = ref<Me | null>(null)
  const username = ref<string>(storage()?.getItem(USERNAME_KEY) ?? '')
  const mustChangePassword = ref<boolean>(storage()?.getItem(MUST_CHANGE_KEY) === '1')
  let timer: ReturnType<typeof setTimeout> | null = null
  let restoring: Promise<void> | null = null

  const loggedIn = computed(() => accessToken.value !== null && me.value !== null)
  const roles = computed<string[]>(() => me.value?.roles ?? [])
  const projectIds = computed<string[]>(() => me.value?.project_ids ?? [])
  const userId = computed(() => me.value?.user_id ?? '')

  function setMustChange(value: boolean): void {
    mustChangePassword.value = value
    if (value) storage()?.setItem(MUST_CHANGE_KEY, '1')
    else storage()?.removeItem(MUST_CHANGE_KEY)
  }

  function schedule(expiresIn: number | undefined): void {
    if (timer) clearTimeout(timer)
    timer = null
    if (!expiresIn || expiresIn <= 0) return
    const seconds = Math.max(5, expiresIn - REFRESH_LEAD_SECONDS)
    timer = setTimeout(() => {
      void refreshShared()
    }, seconds * 1000)
  }

  function applyTokens(tokens: Tokens): void {
    if (!tokens.access_token || !tokens.refresh_token) {
      throw new ApiError(200, 'bad_response', '登录应答缺少令牌')
    }
    accessToken.value = tokens.access_token
    storage()?.setItem(REFRESH_KEY, tokens.refresh_token)
    const flag = readFlag(tokens, 'must_change_password')
    if (flag !== undefined) setMustChange(flag)
    schedule(tokens.expires_in)
  }

  function clear(): void {
    if (timer) clearTimeout(timer)
    timer = null
    accessToken.value = null
    me.value = null
    username.value = ''
    const s = storage()
    s?.removeItem(REFRESH_KEY)
    s?.removeItem(USERNAME_KEY)
    s?.removeItem(MUST_CHANGE_KEY)
    mustChangePassword.value = false
  }

  async function loadMe(): Promise<void> {
    const body = await unwrap(api.GET('/api/v1/auth/me'))
    me.value = body
    const flag = readFlag(body, 'must_change_password')
    if (flag !== undefined) setMustChange(flag)
  }

  /** POST /auth/login then GET /auth/me. Throws ApiError (401 invalid_credentials, 429 …). */
  async function login(name: string, password: string): Promise<void> {
    const tokens = await unwrap(api.POST('/api/v1/auth/login', { body: { username: name, password } }))
    clear()
    applyTokens(tokens)
    username.value = name
    storage()?.setItem(USERNAME_KEY, name)
    try {
      await loadMe()
    } catch (e) {
      clear()
      throw e
    }
  }

  /**
   * Exchanges the refresh token (single use) for new tokens. Call through refreshShared()
   * so concurrent callers share one exchange. False (and the session cleared) when refused.
   */
  async function refresh(): Promise<boolean> {
    const token = storage()?.getItem(REFRESH_KEY)
    if (!token) return false
    try {
      const tokens = await unwrap(api.POST('/api/v1/auth/refresh', { body: { refresh_token: token } }))
      applyTokens(tokens)
      return true
    } catch (e) {
      const err = toApiError(e)
      // Refused (expired, revoked, reused): the session is over. A network failure keeps the
      // refresh token so a later attempt may still work.
      if (err.status >= 400 && err.status < 500) clear()
      return false
    }
  }

  /** After a reload: a refresh token in this tab → new access token and /auth/me. Once. */
  function restore(): Promise<void> {
    if (!restoring) {
      restoring = (async () => {
        if (accessToken.value || !storage()?.getItem(REFRESH_KEY)) return
        if (await refreshShared()) {
          try {
            await loadMe()
          } catch {
            clear()
          }
        }
      })()
    }
    return restoring
  }

  /** POST /auth/logout (revokes the session everywhere), then forget everything locally. */
  async function logout(): Promise<void> {
    try {
      if (accessToken.value) await api.POST('/api/v1/auth/logout')
    } catch {
      // Logged out locally whatever the server said; the tokens expire anyway.
    } finally {
      clear()
    }
  }

  /** POST /auth/password. Throws ApiError (weak_password with details.field …). */
  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await unwrap(
      api.POST('/api/v1/auth/password', {
        body: { current_password: currentPassword, new_password: newPassword },
      }),
    )
    setMustChange(false)
    // The flag on the server changed too: read it back (ignore failures, the change worked).
    try {
      await loadMe()
      // Until the server reports the flag, the successful change is what counts here.
      setMustChange(false)
    } catch {
      /* keep the session */
    }
  }

  return {
    accessToken,
    me,
    username,
    mustChangePassword,
    loggedIn,
    roles,
    projectIds,
    userId,
    login,
    logout,
    refresh,
    restore,
    loadMe,
    clear,
    changePassword,
  }
})
