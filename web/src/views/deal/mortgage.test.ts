import { describe, expect, it } from 'vitest'
import { MORTGAGE_STATUSES, dueLabel, historyChange, missingText, stepIndex } from './mortgage'

describe('mortgage desk labels (CON-8)', () => {
  it('names every stage and its deadline', () => {
    expect(MORTGAGE_STATUSES).toHaveLength(7)
    expect(dueLabel('documents_pending')).toBe('资料截止')
    expect(dueLabel('submitted')).toBe('审批截止')
    expect(dueLabel('registered')).toBe('放款截止')
    expect(dueLabel('disbursed')).toBe('—')
  })
  it('places a refusal at the bank step', () => {
    expect(stepIndex('documents_pending')).toBe(0)
    expect(stepIndex('refused')).toBe(2)
    expect(stepIndex('registered')).toBe(4)
    expect(stepIndex('disbursed')).toBe(6) // every step done
  })
  it('describes history and missing documents in words', () => {
    expect(historyChange({ from_status: 'documents_pending', to_status: 'documents_complete' })).toBe('资料收集中 → 资料齐全')
    expect(historyChange({ from_status: null, to_status: 'documents_pending' })).toBe('资料收集中')
    expect(
      missingText({
        documents: [
          { kind: 'id_card', label: '身份证', received: true, recorded_by: null, recorded_at: null },
          { kind: 'household_register', label: '户口簿', received: false, recorded_by: null, recorded_at: null },
          { kind: 'income_proof', label: '收入证明', received: false, recorded_by: null, recorded_at: null },
        ],
      }),
    ).toBe('户口簿、收入证明')
  })
})
