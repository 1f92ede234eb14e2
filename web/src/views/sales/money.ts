// Integer-fen arithmetic the subscription screens need (never floating point on money).

/** REG-2 / CON-1: the largest deposit for a price: floor(price × cap% / 100). */
export function maxDepositFen(priceFen: number, capPercent: number): number {
  if (!Number.isSafeInteger(priceFen) || !Number.isSafeInteger(capPercent) || priceFen <= 0 || capPercent <= 0) return 0
  return Number((BigInt(priceFen) * BigInt(capPercent)) / 100n)
}

/** list total − discount, both integer fen. */
export function priceAfterDiscount(listTotalFen: number, discountFen: number): number {
  return Number(BigInt(listTotalFen) - BigInt(discountFen))
}
