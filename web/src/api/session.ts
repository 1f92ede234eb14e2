// The link between the HTTP layer and the auth store, without an import cycle: the store
// registers how to read the access token, how to refresh and what to do when the session is
// lost; the HTTP layer only calls these hooks.

export interface SessionHooks {
  /** the current access token, or null when logged out */
  accessToken(): string | null
  /** exchanges the refresh token for new tokens; true when it worked */
  refresh(): Promise<boolean>
  /** the session cannot be recovered: clear it and go to /login?redirect=… */
  lost(): void
}

let hooks: SessionHooks = {
  accessToken: () => null,
  refresh: async () => false,
  lost: () => {},
}

export function setSessionHooks(next: SessionHooks): void {
  hooks = next
}

export function sessionHooks(): SessionHooks {
  return hooks
}

let pending: Promise<boolean> | null = null

/**
 * Refreshes the tokens once for everyone: concurrent callers (several requests answered 401 at
 * the same time, the silent-refresh timer) share one POST /auth/refresh — the refresh token is
 * single-use, so two refreshes in parallel would log the user out.
 */
export function refreshShared(): Promise<boolean> {
  if (!pending) {
    pending = hooks
      .refresh()
      .catch(() => false)
      .finally(() => {
        pending = null
      })
  }
  return pending
}
