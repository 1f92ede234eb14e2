import { describe, expect, it } from 'vitest'
import { allowedFor } from './meta'

describe('allowedFor', () => {
  it('meta.call: only users the gateway lets call the route (canCall)', () => {
    const meta = { title: '经营报表', call: { method: 'GET' as const, path: '/api/v1/reports/sales' } }
    for (const r of ['sales_manager', 'finance_director', 'gm', 'executive', 'admin']) expect(allowedFor(meta, [r]), r).toBe(true)
    for (const r of ['sales_rep', 'cashier', 'sales_control']) expect(allowedFor(meta, [r]), r).toBe(false)
    expect(allowedFor({ call: { method: 'GET', path: '/api/v1/nowhere' } }, ['sales_manager'])).toBe(false)
  })
  it('roles, permission and call must all hold', () => {
    const meta = { roles: ['gm'] as const, call: { method: 'GET' as const, path: '/api/v1/reports/sales' } }
    expect(allowedFor(meta, ['gm'])).toBe(true)
    expect(allowedFor(meta, ['sales_manager'])).toBe(false)
    expect(allowedFor(undefined, [])).toBe(true)
  })
})
