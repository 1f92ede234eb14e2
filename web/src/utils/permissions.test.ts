import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { can, canCall, PERMISSIONS, permissionsOf, ROLES, roleLabel, ROUTE_TABLE } from './permissions'

describe('can', () => {
  it('sales rep: customers and subscriptions, not payments or audits', () => {
    const rep = ['sales_rep']
    expect(can(rep, 'subscription.create')).toBe(true)
    expect(can(rep, 'customer.manage')).toBe(true)
    expect(can(rep, 'contract.sign')).toBe(true)
    expect(can(rep, 'payment.collect')).toBe(false)
    expect(can(rep, 'contract.audit')).toBe(false)
    expect(can(rep, 'unit.reserve')).toBe(false)
    expect(can(rep, 'customer.pii.read')).toBe(false)
  })
  it('cashier collects payments only', () => {
    expect(can(['cashier'], 'payment.collect')).toBe(true)
    expect(can(['cashier'], 'subscription.create')).toBe(false)
    expect(can(['cashier'], 'refund.approve')).toBe(false)
  })
  it('sales control holds and releases units, cancels subscriptions, cannot rename', () => {
    const sc = ['sales_control']
    expect(can(sc, 'unit.reserve')).toBe(true)
    expect(can(sc, 'unit.release')).toBe(true)
    expect(can(sc, 'subscription.cancel')).toBe(true)
    expect(can(sc, 'subscription.change')).toBe(false)
  })
  it('gm stamps and approves, finance director approves refunds', () => {
    expect(can(['gm'], 'contract.stamp')).toBe(true)
    expect(can(['gm'], 'contract.approve_late')).toBe(true)
    expect(can(['finance_director'], 'refund.approve')).toBe(true)
    expect(can(['finance_supervisor'], 'refund.approve')).toBe(false)
  })
  it('deposit cases (CON-1/FIN-3): sales control, the sales manager, the GM — not reps or cashiers', () => {
    for (const r of ['sales_control', 'sales_manager', 'gm', 'admin']) expect(can([r], 'deposit_case.manage'), r).toBe(true)
    for (const r of ['sales_rep', 'cashier', 'finance_director', 'sales_supervisor']) expect(can([r], 'deposit_case.manage'), r).toBe(false)
  })
  it('admin holds every permission; no roles hold none', () => {
    for (const p of PERMISSIONS) expect(can(['admin'], p)).toBe(true)
    expect(can([], 'unit.read')).toBe(false)
    expect(can(null, 'unit.read')).toBe(false)
    expect(can(['no_such_role'], 'unit.read')).toBe(false)
  })
  it('several roles add up; a list of permissions means any of them', () => {
    expect(can(['cashier', 'sales_rep'], 'payment.collect')).toBe(true)
    expect(can(['cashier', 'sales_rep'], 'customer.manage')).toBe(true)
    expect(can(['executive'], ['payment.collect', 'report.read'])).toBe(true)
    expect(permissionsOf(['executive']).sort()).toEqual(['report.read', 'subscription.read', 'unit.read'])
  })
  it('every role has a zh-CN label', () => {
    for (const r of ROLES) expect(roleLabel(r)).toMatch(/[\u4e00-\u9fa5]/)
    expect(roleLabel('unknown')).toBe('unknown')
  })
})

describe('canCall mirrors the gateway route table', () => {
  it('routes → visible actions', () => {
    expect(canCall(['sales_rep'], 'POST', '/api/v1/subscriptions')).toBe(true)
    expect(canCall(['sales_rep'], 'POST', '/api/v1/payments')).toBe(false)
    expect(canCall(['cashier'], 'POST', '/api/v1/entries/{id}/reverse')).toBe(true)
    expect(canCall(['sales_supervisor'], 'POST', '/api/v1/contracts/{id}/audit/approve')).toBe(true)
    expect(canCall(['finance_supervisor'], 'POST', '/api/v1/contracts/{id}/audit/approve')).toBe(true)
    expect(canCall(['sales_rep'], 'POST', '/api/v1/contracts/{id}/audit/approve')).toBe(false)
    expect(canCall(['handover_clerk'], 'GET', '/api/v1/contracts/handover-eligible')).toBe(true)
    expect(canCall(['sales_service'], 'GET', '/api/v1/customers')).toBe(true)
    expect(canCall(['sales_rep'], 'GET', '/api/v1/customers:stale')).toBe(false)
    expect(canCall(['executive'], 'GET', '/api/v1/reports/receipts')).toBe(true)
    expect(canCall(['sales_rep'], 'GET', '/api/v1/auth/me')).toBe(true)
    expect(canCall(['sales_rep'], 'GET', '/api/v1/nowhere')).toBe(false)
    expect(canCall(['admin'], 'GET', '/api/v1/audit')).toBe(true)
    expect(canCall(['sales_control'], 'GET', '/api/v1/deposit-cases')).toBe(true)
    expect(canCall(['gm'], 'POST', '/api/v1/deposit-cases/{id}/resolve')).toBe(true)
    expect(canCall(['sales_rep'], 'GET', '/api/v1/deposit-cases')).toBe(false)
    // the reporting service's reports: report.read (managers, finance director, GM, executives)
    for (const r of ['sales_manager', 'finance_director', 'gm', 'executive', 'admin'])
      expect(canCall([r], 'GET', '/api/v1/reports/sales'), r).toBe(true)
    for (const r of ['sales_rep', 'cashier', 'sales_control', 'sales_supervisor'])
      expect(canCall([r], 'GET', '/api/v1/reports/sales-control'), r).toBe(false)
  })

  it('has the same routes and permissions as services/gateway/src/domain/route_table.cpp', () => {
    const cpp = readFileSync(
      new URL('../../../services/gateway/src/domain/route_table.cpp', import.meta.url),
      'utf8',
    )
    const lists: Record<string, string[]> = {}
    for (const m of cpp.matchAll(/const P (\w+) = \{([^}]*)\};/g)) {
      lists[m[1]!] = [...m[2]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!)
    }
    const fromCpp = new Map<string, string[]>()
    for (const m of cpp.matchAll(/r\("(\w+)",\s*"([^"]+)",\s*"\w+",\s*(\{[^}]*\}|\w+)/g)) {
      const perms = m[3]!.startsWith('{') ? [...m[3]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!) : lists[m[3]!]
      fromCpp.set(`${m[1]} ${m[2]}`, [...(perms ?? [])].sort())
    }
    expect(fromCpp.size).toBeGreaterThan(100)
    const fromTs = new Map(
      ROUTE_TABLE.filter((r) => r.permissions !== null).map((r) => [`${r.method} ${r.pattern}`, [...(r.permissions ?? [])].sort()]),
    )
    expect(Object.fromEntries(fromTs)).toEqual(Object.fromEntries(fromCpp))
  })

  it('has the same role table as libs/auth/src/auth.cpp', () => {
    const cpp = readFileSync(new URL('../../../libs/auth/src/auth.cpp', import.meta.url), 'utf8')
    const body = cpp.slice(cpp.indexOf('role_table() {'), cpp.indexOf('return table;'))
    for (const m of body.matchAll(/\{"(\w+)",\s*\{([^}]*)\}\}/g)) {
      const role = m[1]!
      const perms = [...m[2]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!).sort()
      expect(permissionsOf([role]).sort(), role).toEqual(perms)
    }
  })
})
