import { describe, expect, it } from 'vitest'
import { chineseCapital, fenToYuanInput, formatFen, formatFenOrDash, formatUnitPrice, parseYuan } from './money'

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [10, '¥0.10'],
    [100, '¥1.00'],
    [123456789, '¥1,234,567.89'],
    [100000000, '¥1,000,000.00'],
    [-5, '-¥0.05'],
    [-123456, '-¥1,234.56'],
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
  ])('%s fen → %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text)
  })
  it('takes BigInt beyond the safe range', () => {
    expect(formatFen(100000000000000000n)).toBe('¥1,000,000,000,000,000.00')
  })
  it('without the symbol', () => {
    expect(formatFen(123450, { symbol: false })).toBe('1,234.50')
  })
  it('refuses non-integers and unsafe numbers', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError)
    expect(() => formatFen(Number.NaN)).toThrow(RangeError)
    expect(() => formatFen(2 ** 53)).toThrow(RangeError)
  })
  it('dash for missing amounts, unit price, input text', () => {
    expect(formatFenOrDash(null)).toBe('—')
    expect(formatFenOrDash(undefined)).toBe('—')
    expect(formatUnitPrice(1580000)).toBe('¥15,800.00/m²')
    expect(fenToYuanInput(123456789)).toBe('1234567.89')
  })
})

describe('parseYuan', () => {
  it.each([
    ['1,234.5', 123450],
    ['1234.56', 123456],
    ['1234', 123400],
    ['0.01', 1],
    ['0.1', 10],
    ['0', 0],
    ['.5', null],
    ['5.', 500],
    ['  88  ', 8800],
    ['¥1,000,000', 100000000],
    ['￥ 12.30', 1230],
    ['１２３．４５', 12345],
    ['1，234', 123400],
    ['0.29', 29],
    ['1.13', 113],
    ['4.35', 435],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('"%s" → %s fen', (text, fen) => {
    const r = parseYuan(text)
    if (fen === null) expect(r.ok).toBe(false)
    else expect(r).toEqual({ ok: true, fen })
  })

  it.each([
    ['', '请输入金额'],
    ['   ', '请输入金额'],
    ['1.234', '金额最多保留两位小数（到分）'],
    ['abc', '金额格式不正确，请输入数字，例如 1,234.56'],
    ['12a', '金额格式不正确，请输入数字，例如 1,234.56'],
    ['1,23', '金额格式不正确，请输入数字，例如 1,234.56'],
    ['1,2345', '金额格式不正确，请输入数字，例如 1,234.56'],
    ['1e5', '金额格式不正确，请输入数字，例如 1,234.56'],
    ['--1', '金额格式不正确，请输入数字，例如 1,234.56'],
    ['1.2.3', '金额格式不正确，请输入数字，例如 1,234.56'],
    ['-1', '金额不能为负数'],
    ['90071992547409.92', '金额超出可处理的范围'],
  ])('refuses "%s": %s', (text, error) => {
    expect(parseYuan(text)).toEqual({ ok: false, error })
  })

  it('negatives only when allowed', () => {
    expect(parseYuan('-12.5', { allowNegative: true })).toEqual({ ok: true, fen: -1250 })
    expect(parseYuan('-¥3', { allowNegative: true })).toEqual({ ok: true, fen: -300 })
    expect(parseYuan('-0')).toEqual({ ok: true, fen: 0 })
  })
  it('zero refused when asked', () => {
    expect(parseYuan('0.00', { allowZero: false })).toEqual({ ok: false, error: '金额必须大于零' })
  })
  it('round-trips with formatFen', () => {
    for (const fen of [0, 1, 99, 100, 123456, 158000000, 9999999999]) {
      const r = parseYuan(formatFen(fen))
      expect(r).toEqual({ ok: true, fen })
    }
  })
})

describe('chineseCapital (大写金额)', () => {
  it.each([
    // whole yuan
    [0, '零元整'],
    [100, '壹元整'],
    [1000, '壹拾元整'],
    [1600, '壹拾陆元整'],
    [10000, '壹佰元整'],
    [100500, '壹仟零伍元整'],
    [101000, '壹仟零壹拾元整'],
    [110000, '壹仟壹佰元整'],
    [1000000, '壹万元整'],
    [1000100, '壹万零壹元整'],
    [1001000, '壹万零壹拾元整'],
    [1010000, '壹万零壹佰元整'],
    [1100000, '壹万壹仟元整'],
    [10000000, '壹拾万元整'],
    [10500000, '壹拾万伍仟元整'],
    [100000000, '壹佰万元整'],
    [100500000, '壹佰万伍仟元整'],
    [1000000000, '壹仟万元整'],
    [1000050000, '壹仟万零伍佰元整'],
    [10000000000, '壹亿元整'],
    [10000000100, '壹亿零壹元整'],
    [10001000000, '壹亿零壹万元整'],
    [10100000000, '壹亿零壹佰万元整'],
    [100000000000, '壹拾亿元整'],
    [100000000000000, '壹万亿元整'],
    [100010000000000, '壹万零壹亿元整'],
    [100005000000000, '壹万亿零伍仟万元整'],
    [10000500000, '壹亿零伍仟元整'],
    [10500000000, '壹亿零伍佰万元整'],
    [1050000, '壹万零伍佰元整'],
    [1234560000000000, '壹拾贰万叁仟肆佰伍拾陆亿元整'],
    [12345678900, '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整'],
    [158000000, '壹佰伍拾捌万元整'],
    [235678900, '贰佰叁拾伍万陆仟柒佰捌拾玖元整'],
    [20000000, '贰拾万元整'],
    // 角 and 分
    [12345678900 + 89, '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元捌角玖分'],
    [1234567 * 100 + 89, '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'],
    [1, '壹分'],
    [10, '壹角'],
    [11, '壹角壹分'],
    [50, '伍角'],
    [105, '壹元零伍分'],
    [150, '壹元伍角'],
    [155, '壹元伍角伍分'],
    [1005, '壹拾元零伍分'],
    [1050, '壹拾元伍角'],
    [168032, '壹仟陆佰捌拾元叁角贰分'],
    [10700053, '壹拾万柒仟元伍角叁分'],
    [100000001, '壹佰万元零壹分'],
    [99999999999, '玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
    // negatives
    [-100, '负壹元整'],
    [-123456, '负壹仟贰佰叁拾肆元伍角陆分'],
    [-5, '负伍分'],
  ])('%s fen → %s', (fen, text) => {
    expect(chineseCapital(fen)).toBe(text)
  })

  it('uses only the financial characters', () => {
    for (const fen of [1, 19, 1234567, 9876543210, 100020003]) {
      expect(chineseCapital(fen)).toMatch(/^负?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/)
      expect(chineseCapital(fen)).not.toMatch(/[一二三四五六七八九十百千]/)
    }
  })
  it('never two 零 in a row, never 零 before 元/万/亿 or at the end', () => {
    for (let fen = 1; fen < 3_000_000; fen += 9973) {
      const text = chineseCapital(fen * 101)
      expect(text).not.toMatch(/零零|零[元万亿角整]|零$/)
    }
  })
  it('refuses non-integers', () => {
    expect(() => chineseCapital(0.5)).toThrow(RangeError)
  })
})
