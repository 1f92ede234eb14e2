import { describe, expect, it } from 'vitest'
import { fenToThreshold, paidPermille, percentText, thresholdReached } from './referralModel'

describe('CON-11 referral progress', () => {
  it('reaches the threshold exactly at 80% of the price', () => {
    expect(thresholdReached(80_000_000, 100_000_000)).toBe(true)
    expect(thresholdReached(79_999_999, 100_000_000)).toBe(false)
    expect(thresholdReached(4, 5)).toBe(true)
    expect(thresholdReached(5, 7)).toBe(false)
    expect(thresholdReached(0, 0)).toBe(false)
  })
  it('says what is left to pay, rounding the threshold up to the fen', () => {
    expect(fenToThreshold(5_000_000, 100_000_000)).toBe(75_000_000)
    expect(fenToThreshold(5, 7)).toBe(1) // 80% of 7 fen is 5.6: 6 fen
    expect(fenToThreshold(90, 100)).toBe(0)
  })
  it('floors the percentage so that 79.99% never reads as 80%', () => {
    expect(percentText(paidPermille(79_999_999, 100_000_000))).toBe('79.9%')
    expect(percentText(paidPermille(80_000_000, 100_000_000))).toBe('80.0%')
    expect(percentText(paidPermille(1, 0))).toBe('0.0%')
  })
})
