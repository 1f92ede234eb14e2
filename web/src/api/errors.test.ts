import { describe, expect, it } from 'vitest'
import { ApiError, apiErrorFrom, errorText, toApiError } from './errors'
import { idempotencyKey } from './ids'

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

describe('ApiError from the envelope', () => {
  it('reads code, message, details, request id', () => {
    const res = json(401, { error: { code: 'invalid_credentials', message: 'invalid username or password' } }, { 'X-Request-Id': 'r-1' })
    const e = apiErrorFrom(res, { error: { code: 'invalid_credentials', message: 'invalid username or password' } })
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(401)
    expect(e.code).toBe('invalid_credentials')
    expect(e.message).toBe('invalid username or password')
    expect(e.requestId).toBe('r-1')
    expect(errorText(e)).toBe('用户名或密码错误（或账号已锁定、停用）（invalid username or password）')
  })
  it('field errors from details.problems and details.field', () => {
    const body = {
      error: {
        code: 'validation_failed',
        message: 'phone: invalid (and 1 more problems)',
        details: {
          field: 'phone',
          problem: 'invalid',
          problems: [
            { field: 'phone', problem: 'invalid' },
            { field: 'first_event.kind', problem: 'unknown value' },
          ],
        },
      },
    }
    const e = apiErrorFrom(json(400, body), body)
    expect(e.fieldErrors).toEqual({ phone: 'invalid', 'first_event.kind': 'unknown value' })
    expect(e.hasFieldErrors).toBe(true)
    const single = { error: { code: 'weak_password', message: 'password must have at least 12 characters', details: { field: 'password' } } }
    expect(apiErrorFrom(json(400, single), single).fieldErrors).toEqual({ password: 'password must have at least 12 characters' })
  })
  it('429: Retry-After from details or header', () => {
    const body = { error: { code: 'login_throttled', message: 'too many login attempts; try again later', details: { retry_after_seconds: 42 } } }
    const e = apiErrorFrom(json(429, body, { 'Retry-After': '42' }), body)
    expect(e.retryAfterSeconds).toBe(42)
    expect(errorText(e)).toContain('请 42 秒后再试')
    expect(errorText(e)).toContain('too many login attempts')
    const noDetails = { error: { code: 'rate_limited', message: 'slow down' } }
    expect(apiErrorFrom(json(429, noDetails, { 'Retry-After': '7' }), noDetails).retryAfterSeconds).toBe(7)
  })
  it('no envelope (proxy page, empty body) → zh-CN text by status', () => {
    const e = apiErrorFrom(new Response('<html>bad gateway</html>', { status: 502 }), '<html>')
    expect(e.code).toBe('http_502')
    expect(errorText(e)).toBe('网关错误')
  })
  it('unknown code shows the server message as is', () => {
    const body = { error: { code: 'something_new', message: 'the server explains' } }
    expect(errorText(apiErrorFrom(json(422, body), body))).toBe('the server explains')
  })
  it('network failures', () => {
    const e = toApiError(new TypeError('Failed to fetch'))
    expect(e.status).toBe(0)
    expect(e.code).toBe('network_error')
    expect(errorText(e)).toContain('无法连接服务器')
  })
})

describe('idempotencyKey', () => {
  it('is a v4 UUID, different each time', () => {
    const a = idempotencyKey()
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(idempotencyKey()).not.toBe(a)
  })
})
