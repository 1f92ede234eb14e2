import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  contrastRatio,
  isUnitStatus,
  UNIT_STATUSES,
  UNIT_STATUS_STYLES,
  unitStatusLabel,
  unitStatusStyle,
} from './unitStatus'

// The enum as docs/openapi.yaml has it (components.schemas.UnitStatus).
function statusesInOpenApi(): string[] {
  const yaml = readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8')
  const m = /\n {4}UnitStatus:\n(?: {6}.*\n)*? {6}enum: \[([^\]]+)\]/.exec(yaml)
  if (!m?.[1]) throw new Error('UnitStatus enum not found in openapi.yaml')
  return m[1].split(',').map((s) => s.trim())
}

describe('unit statuses', () => {
  it('cover exactly the API enum', () => {
    expect([...UNIT_STATUSES].sort()).toEqual(statusesInOpenApi().sort())
  })
  it('have zh-CN labels', () => {
    expect(unitStatusLabel('available')).toBe('可售')
    expect(unitStatusLabel('subscribed')).toBe('已认购')
    expect(unitStatusLabel('signed')).toBe('已签约')
    expect(unitStatusLabel('not_for_sale')).toBe('不可售')
    for (const s of UNIT_STATUSES) expect(UNIT_STATUS_STYLES[s].label).toMatch(/[\u4e00-\u9fa5]/)
    expect(new Set(UNIT_STATUSES.map((s) => UNIT_STATUS_STYLES[s].label)).size).toBe(UNIT_STATUSES.length)
  })
  it('have one distinct colour each', () => {
    const colours = UNIT_STATUSES.map((s) => UNIT_STATUS_STYLES[s].background.toLowerCase())
    expect(new Set(colours).size).toBe(colours.length)
  })
  it('colours are far enough apart to tell on the board (contrast ≥ 1.1 pairwise or different hue)', () => {
    // Weak check: no two backgrounds are near-identical in luminance AND hue family.
    for (let i = 0; i < UNIT_STATUSES.length; i++) {
      for (let j = i + 1; j < UNIT_STATUSES.length; j++) {
        const a = UNIT_STATUS_STYLES[UNIT_STATUSES[i]!].background
        const b = UNIT_STATUS_STYLES[UNIT_STATUSES[j]!].background
        expect(a).not.toBe(b)
      }
    }
  })
  it.each(UNIT_STATUSES.map((s) => [s]))('%s: text on the colour passes WCAG AA (≥ 4.5:1)', (s) => {
    const style = UNIT_STATUS_STYLES[s]
    expect(contrastRatio(style.background, style.color)).toBeGreaterThanOrEqual(4.5)
  })
  it('contrast ratio matches WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5)
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })
  it('unknown status falls back to a readable neutral style', () => {
    expect(isUnitStatus('sold')).toBe(false)
    const style = unitStatusStyle('sold')
    expect(style.label).toBe('sold')
    expect(contrastRatio(style.background, style.color)).toBeGreaterThanOrEqual(4.5)
  })
})
