// Areas are integer hundredths of a square metre (0.01 m², DOMAIN.md): no floating point.

export type CentiM2 = number | bigint

function toBigInt(centi: CentiM2): bigint {
  if (typeof centi === 'bigint') return centi
  if (!Number.isSafeInteger(centi)) throw new RangeError(`面积必须是整数（0.01 m²）：${String(centi)}`)
  return BigInt(centi)
}

/** 12345 → "123.45"; thousands separated: 1234500 → "12,345.00". */
export function formatAreaNumber(centi: CentiM2): string {
  const value = toBigInt(centi)
  const negative = value < 0n
  const abs = negative ? -value : value
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${whole}.${(abs % 100n).toString().padStart(2, '0')}`
}

/** 12345 → "123.45 m²". */
export function formatArea(centi: CentiM2): string {
  return `${formatAreaNumber(centi)} m²`
}

export function formatAreaOrDash(centi: CentiM2 | null | undefined): string {
  return centi === null || centi === undefined ? '—' : formatArea(centi)
}

export type ParseAreaResult = { ok: true; centi: number } | { ok: false; error: string }

/** "123.45" (m²) → 12345; at most two decimals, not negative. */
export function parseArea(input: string): ParseAreaResult {
  const text = input.trim().replace(/\s*(m²|m2|平方米|㎡)$/i, '')
  if (text === '') return { ok: false, error: '请输入面积' }
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(text)
  if (!m) return { ok: false, error: '面积格式不正确，例如 89.50' }
  const [, whole = '0', decimals = ''] = m
  if (decimals.length > 2) return { ok: false, error: '面积最多保留两位小数' }
  const centi = BigInt(whole.replace(/,/g, '')) * 100n + BigInt(decimals.padEnd(2, '0') || '0')
  if (centi > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, error: '面积超出范围' }
  return { ok: true, centi: Number(centi) }
}
