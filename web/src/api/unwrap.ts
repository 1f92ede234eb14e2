import { ApiError, apiErrorFrom, toApiError } from './errors'

interface FetchResultLike<D> {
  data?: D
  error?: unknown
  response: Response
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError (non-2xx with the
 * server's envelope, or a network failure as status 0 `network_error`).
 *
 *   const project = await unwrap(api.GET('/api/v1/projects/{project_id}', { params: { path: { project_id } } }))
 */
export async function unwrap<D>(call: Promise<FetchResultLike<D>>): Promise<NonNullable<D>> {
  let result: FetchResultLike<D>
  try {
    result = await call
  } catch (e) {
    throw toApiError(e)
  }
  const { response } = result
  if (!response.ok) {
    throw apiErrorFrom(response, result.error, response.headers.get('X-Request-Id'))
  }
  if (result.data === undefined || result.data === null) {
    // 204 or an empty body: callers that expect data get a clear error.
    throw new ApiError(response.status, 'bad_response', '服务器返回了空应答')
  }
  return result.data as NonNullable<D>
}

/** Like unwrap, for calls whose answer body does not matter (data may be empty). */
export async function unwrapVoid(call: Promise<FetchResultLike<unknown>>): Promise<void> {
  let result: FetchResultLike<unknown>
  try {
    result = await call
  } catch (e) {
    throw toApiError(e)
  }
  if (!result.response.ok) throw apiErrorFrom(result.response, result.error)
}
