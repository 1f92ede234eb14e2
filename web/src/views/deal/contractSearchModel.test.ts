import { describe, expect, it } from 'vitest'
import { customerLabel, emptySearch, registrationNoError, registrationState, searchQuery } from './contractSearchModel'

describe('contract search', () => {
  it('sends only the filters given, statuses comma-separated, paging as limit/offset', () => {
    expect(searchQuery(emptySearch(), 1, 20)).toEqual({ limit: 20, offset: 0 })
    const form = {
      ...emptySearch('p1'),
      buildingId: 'b1',
      statuses: ['stamped', 'registered'],
      signed: ['2026-05-01', '2026-05-31'] as [string, string],
      repId: ' rep-1 ',
      plan: 'mortgage',
      customerId: 'c1',
      contractNo: ' 2026-HX01- ',
      handover: 'eligible',
    }
    expect(searchQuery(form, 3, 50)).toEqual({
      limit: 50,
      offset: 100,
      project_id: 'p1',
      building_id: 'b1',
      status: 'stamped,registered',
      signed_from: '2026-05-01',
      signed_to: '2026-05-31',
      rep_id: 'rep-1',
      payment_plan: 'mortgage',
      customer_id: 'c1',
      contract_no: '2026-HX01-',
      handover_state: 'eligible',
    })
  })
  it('drops the building without a project', () => {
    expect(searchQuery({ ...emptySearch(), buildingId: 'b1' }, 1, 20)).toEqual({ limit: 20, offset: 0 })
  })
  it('names the buyer as the customer service shows them, else by short id', () => {
    const brief = { id: 'c1', project_id: 'p', name: '王先生', phone: '138****5678', pii_masked: true, owner_id: 'r', stage: 'closed' as const, archived: false }
    expect(customerLabel(brief, 'c1')).toBe('王先生 138****5678')
    expect(customerLabel(undefined, '0123456789abcdef')).toBe('客户 01234567')
  })
  it('shows the CON-7 due state: overdue after the due day', () => {
    const row = { status: 'stamped', registration_due_on: '2026-05-12', registration_no: null }
    expect(registrationState(row, '2026-05-11')).toEqual({ text: '待备案', type: 'info' })
    expect(registrationState(row, '2026-05-12')).toEqual({ text: '今日到期', type: 'warning' })
    expect(registrationState(row, '2026-05-13')).toEqual({ text: '逾期', type: 'danger' })
    expect(registrationState({ ...row, status: 'registered', registration_no: 'WQ-1' }, '2026-06-01')).toEqual({ text: '已备案', type: 'success' })
    expect(registrationState({ ...row, status: 'in_audit', registration_due_on: null }, '2026-06-01')).toBeNull()
  })
})

describe('registration number error', () => {
  it('names the contract that holds the number', () => {
    expect(registrationNoError({ code: 'registration_no_taken', details: { contract_no: '2026-HX01-000001' } }, { registration_no: 'taken' })).toBe(
      '备案号已被本项目合同 2026-HX01-000001 使用',
    )
    expect(registrationNoError({ code: 'registration_no_taken', details: {} }, {})).toBe('备案号已被本项目的其他合同使用')
    expect(registrationNoError({ code: 'validation_failed', details: {} }, { registration_no: 'must not be empty' })).toBe('must not be empty')
    expect(registrationNoError(null, {})).toBe('')
  })
})
