// Rates are integer basis points (万分比: 10000 = 100%), as the reports send them: no floating
// point between the server's integer and the text on screen.

export type BasisPoints = number | bigint

function toBigInt(bp: BasisPoints): bigint {
  if (typeof bp === 'bigint') return bp
  if (!Number.isSafeInteger(bp)) throw new RangeError(`比率必须是整数基点：${String(bp)}`)
  return BigInt(bp)
}

/** 1234 → "12.34"; 10000 → "100.00"; −5 → "-0.05" (the number of percent, two decimals). */
export function formatPercentNumber(bp: BasisPoints): string {
  const value = toBigInt(bp)
  const negative = value < 0n
  const abs = negative ? -value : value
  return `${negative ? '-' : ''}${(abs / 100n).toString()}.${(abs % 100n).toString().padStart(2, '0')}`
}

/** 1234 → "12.34%". */
export function formatBasisPoints(bp: BasisPoints): string {
  return `${formatPercentNumber(bp)}%`
}
