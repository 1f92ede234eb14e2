// The console's API layer. Screens import from '@/api' only.
export { api, authorizedFetch, authHeaders } from './client'
export { unwrap, unwrapVoid } from './unwrap'
export { ApiError, apiErrorFrom, errorText, registerErrorTexts, toApiError, type FieldProblem } from './errors'
export { idempotencyKey, idempotencyHeaders, uuid } from './ids'
export { useAction, type Action, type RunOptions } from './useAction'
export { refreshShared, setSessionHooks } from './session'
export type { components, paths } from './schema'

import type { components } from './schema'
/** Shorthand for a schema of docs/openapi.yaml: `Schema<'Customer'>`. */
export type Schema<K extends keyof components['schemas']> = components['schemas'][K]
