import { describe, expect, it } from 'vitest'
import { deliveryStatusLabel, deliveryStatusTag, subjectLabel, subjectProblem } from './webhooks'

describe('事件订阅', () => {
  it('accepts what the webhooks service accepts', () => {
    for (const ok of ['contract.handed_over', 'contract.>', 'inventory.unit.*', 'finance.payment.recorded'])
      expect(subjectProblem(ok), ok).toBe('')
  })
  it('names what the service would refuse', () => {
    expect(subjectProblem('identity.>')).toContain('开头')
    expect(subjectProblem('contract.>.signed')).toContain('最后')
    expect(subjectProblem('contract..signed')).toContain('空段')
    expect(subjectProblem('contract.Signed')).toContain('不允许')
    expect(subjectProblem('')).toContain('1–200')
  })
  it('labels subjects and delivery states in Chinese', () => {
    expect(subjectLabel('contract.handed_over')).toBe('交付完成')
    expect(subjectLabel('contract.amendment.approved')).toBe('contract.amendment.approved')
    expect(deliveryStatusLabel('dead')).toBe('死信')
    expect(deliveryStatusTag('dead')).toBe('danger')
    expect(deliveryStatusTag('delivered')).toBe('success')
  })
})
