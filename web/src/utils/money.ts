// Money is integer fen (分) everywhere (DOMAIN.md): no floating-point arithmetic on amounts.
// All arithmetic here is on BigInt; numbers are accepted only when they are safe integers.

export type Fen = number | bigint

function toBigInt(fen: Fen): bigint {
  if (typeof fen === 'bigint') return fen
  if (!Number.isSafeInteger(fen)) throw new RangeError(`金额必须是整数分：${String(fen)}`)
  return BigInt(fen)
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

export interface FormatFenOptions {
  /** prefix "¥" (default true) */
  symbol?: boolean
}

/** 123456789 → "¥1,234,567.89"; −5 → "-¥0.05". */
export function formatFen(fen: Fen, options: FormatFenOptions = {}): string {
  const value = toBigInt(fen)
  const negative = value < 0n
  const abs = negative ? -value : value
  const yuan = abs / 100n
  const cents = abs % 100n
  const text = `${groupThousands(yuan.toString())}.${cents.toString().padStart(2, '0')}`
  return `${negative ? '-' : ''}${options.symbol === false ? '' : '¥'}${text}`
}

/** Like formatFen, but "—" for a missing amount (null/undefined). */
export function formatFenOrDash(fen: Fen | null | undefined, options: FormatFenOptions = {}): string {
  return fen === null || fen === undefined ? '—' : formatFen(fen, options)
}

/** Unit price in fen per m² → "¥15,800.00/m²". */
export function formatUnitPrice(fenPerM2: Fen): string {
  return `${formatFen(fenPerM2)}/m²`
}

/** Fen → the plain 元 string a form field shows for editing: 123450 → "1234.50". */
export function fenToYuanInput(fen: Fen): string {
  return formatFen(fen, { symbol: false }).replace(/,/g, '')
}

export interface ParseYuanOptions {
  /** accept negative amounts (default false) */
  allowNegative?: boolean
  /** accept zero (default true) */
  allowZero?: boolean
}

export type ParseYuanResult = { ok: true; fen: number } | { ok: false; error: string }

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * A typed 元 amount → integer fen, without floating point: "1,234.5" → 123450.
 * Accepts an optional leading "¥"/"￥", thousands separators in the right places, full-width
 * digits, at most two decimals. Anything else is refused with a zh-CN message for the form.
 */
export function parseYuan(input: string, options: ParseYuanOptions = {}): ParseYuanResult {
  const text = input
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[，]/g, ',')
    .replace(/[．。]/g, '.')
    .replace(/^([-−]?)\s*[¥￥]\s*/, '$1')
    .replace(/^−/, '-')
  if (text === '') return { ok: false, error: '请输入金额' }
  const m = /^(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(text)
  if (!m) return { ok: false, error: '金额格式不正确，请输入数字，例如 1,234.56' }
  const [, sign = '', whole = '0', decimals = ''] = m
  if (decimals.length > 2) return { ok: false, error: '金额最多保留两位小数（到分）' }
  const fen = BigInt(whole.replace(/,/g, '')) * 100n + BigInt(decimals.padEnd(2, '0') || '0')
  const negative = sign === '-' && fen !== 0n
  if (negative && !options.allowNegative) return { ok: false, error: '金额不能为负数' }
  if (fen === 0n && options.allowZero === false) return { ok: false, error: '金额必须大于零' }
  if (fen > MAX_FEN) return { ok: false, error: '金额超出可处理的范围' }
  return { ok: true, fen: Number(negative ? -fen : fen) }
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const
const UNITS = ['', '拾', '佰', '仟'] as const
const digit = (d: number): string => DIGITS[d] ?? ''

/**
 * 大写金额 per the Chinese financial standard (《支付结算办法》附件 / 正确填写票据和结算凭证的基本规定):
 * "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"; "…元整" when there are no 角/分; one "零" for any run
 * of zeros inside the number ("壹仟零伍元整", "壹亿零壹万元整"); none for zeros at the end of a
 * 万/亿 section ("壹万元整", "壹拾万伍仟元整"; the standard allows either); "零" after 元 when 角 is zero and 分 is not ("壹元零伍分");
 * a leading 1 in the tens is written "壹拾"; zero is "零元整"; negative amounts start with "负".
 */
export function chineseCapital(fen: Fen): string {
  const value = toBigInt(fen)
  const negative = value < 0n
  const abs = negative ? -value : value
  const yuan = abs / 100n
  const jiao = Number((abs / 10n) % 10n)
  const cent = Number(abs % 10n)
  const prefix = negative ? '负' : ''

  if (abs === 0n) return '零元整'

  let integerText = ''
  if (yuan > 0n) {
    const digits = yuan.toString()
    let pendingZero = false
    for (let i = 0; i < digits.length; i++) {
      const p = digits.length - 1 - i // power of ten of this digit
      const d = Number(digits[i])
      if (d === 0) {
        if (integerText !== '') pendingZero = true
      } else {
        if (pendingZero) integerText += '零'
        pendingZero = false
        integerText += digit(d) + (UNITS[p % 4] ?? '')
      }
      if (p > 0 && p % 4 === 0) {
        // Section boundary: 万 (p = 4, 12, …) or 亿 (p = 8, 16, …), written when the section
        // (or, for 亿, anything above it) has a non-zero digit.
        const isYi = p % 8 === 0
        const upper = digits.slice(0, i + 1)
        const section = digits.slice(Math.max(0, i - 3), i + 1)
        const nonZero = isYi ? /[1-9]/.test(upper) : /[1-9]/.test(section)
        if (nonZero) integerText += isYi ? '亿' : '万'
        // Zeros at the end of a non-zero section are absorbed by its 万/亿: "壹拾万伍仟"
        // (the standard allows leaving out this 零). A zero section keeps the 零 pending:
        // "壹亿零伍仟".
        if (/[1-9]/.test(section)) pendingZero = false
      }
    }
    integerText += '元'
  }

  let fraction = ''
  if (jiao !== 0) fraction += digit(jiao) + '角'
  if (cent !== 0) {
    if (jiao === 0 && integerText !== '') fraction += '零'
    fraction += digit(cent) + '分'
  }
  if (fraction === '') return `${prefix}${integerText}整`
  return `${prefix}${integerText}${fraction}`
}
