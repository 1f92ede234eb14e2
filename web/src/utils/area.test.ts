import { describe, expect, it } from 'vitest'
import { formatArea, formatAreaNumber, formatAreaOrDash, parseArea } from './area'

describe('formatArea', () => {
  it.each([
    [0, '0.00 m²'],
    [1, '0.01 m²'],
    [12345, '123.45 m²'],
    [8950, '89.50 m²'],
    [1234500, '12,345.00 m²'],
    [-150, '-1.50 m²'],
  ])('%s → %s', (centi, text) => {
    expect(formatArea(centi)).toBe(text)
  })
  it('number only, dash, BigInt', () => {
    expect(formatAreaNumber(12345)).toBe('123.45')
    expect(formatAreaOrDash(null)).toBe('—')
    expect(formatArea(10n)).toBe('0.10 m²')
  })
  it('refuses non-integers', () => {
    expect(() => formatArea(1.5)).toThrow(RangeError)
  })
})

describe('parseArea', () => {
  it.each([
    ['123.45', 12345],
    ['89.5', 8950],
    ['90', 9000],
    ['90 m²', 9000],
    ['90㎡', 9000],
    ['1,200.00', 120000],
  ])('"%s" → %s', (text, centi) => {
    expect(parseArea(text)).toEqual({ ok: true, centi })
  })
  it.each([[''], ['abc'], ['1.234'], ['-3']])('refuses "%s"', (text) => {
    expect(parseArea(text).ok).toBe(false)
  })
})
