import { describe, expect, it } from 'vitest'
import { kindLabel, whySummary } from './depositCases'

describe('deposit cases', () => {
  it('labels the two kinds', () => {
    expect(kindLabel('late_deposit')).toBe('迟到定金')
    expect(kindLabel('deposit_reversed')).toBe('定金红冲')
    expect(kindLabel('other')).toBe('other')
  })
  it('summarises the server\'s why in zh-CN', () => {
    expect(
      whySummary({
        kind: 'deposit_reversed',
        why: 'deposit receipt R-1 reversed (FIN-3) on a signed subscription: the subscription is signed: the contract\'s ledger and clearance decide',
      }),
    ).toBe('已签约认购的定金被红冲：以合同台账和结清情况为准')
    expect(
      whySummary({
        kind: 'late_deposit',
        why: 'deposit paid on time (2026-03-05T10:00:00Z) but delivered after the sweeper cancelled; the unit was taken meanwhile (it is subscribed): refund it or swap to a free unit (CON-1)',
      }),
    ).toMatch(/已被他人认购/)
    expect(whySummary({ kind: 'late_deposit', why: 'something new' })).toMatch(/未能重新锁定房源/)
    expect(whySummary({ kind: 'deposit_reversed', why: '' })).toBe('定金被红冲，系统无法自动处理')
  })
})
