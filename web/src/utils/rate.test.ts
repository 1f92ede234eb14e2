import { describe, expect, it } from 'vitest'
import { formatBasisPoints, formatPercentNumber } from './rate'

describe('basis points as percent, integer arithmetic', () => {
  it('formats with two decimals', () => {
    expect(formatBasisPoints(0)).toBe('0.00%')
    expect(formatBasisPoints(1)).toBe('0.01%')
    expect(formatBasisPoints(1234)).toBe('12.34%')
    expect(formatBasisPoints(3333)).toBe('33.33%')
    expect(formatBasisPoints(10000)).toBe('100.00%')
    expect(formatBasisPoints(-5)).toBe('-0.05%')
    expect(formatBasisPoints(12345678901234n)).toBe('123456789012.34%')
    expect(formatPercentNumber(705)).toBe('7.05')
  })
  it('refuses fractions', () => {
    expect(() => formatBasisPoints(12.5)).toThrow(RangeError)
    expect(() => formatBasisPoints(Number.NaN)).toThrow(RangeError)
  })
})
