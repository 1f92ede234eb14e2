import { describe, expect, it } from 'vitest'
import { maxDepositFen, priceAfterDiscount } from './money'

describe('subscription money (REG-2)', () => {
  it('caps the deposit at 20% of the price, rounded down to the fen', () => {
    expect(maxDepositFen(206_980_000, 20)).toBe(41_396_000)
    expect(maxDepositFen(333, 20)).toBe(66)
    expect(maxDepositFen(0, 20)).toBe(0)
  })
  it('subtracts the discount exactly', () => {
    expect(priceAfterDiscount(9_007_199_254_740_000, 1)).toBe(9_007_199_254_739_999)
    expect(priceAfterDiscount(206_980_000, 980_000)).toBe(206_000_000)
  })
})
