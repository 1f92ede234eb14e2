import { describe, expect, it } from 'vitest'
import { addDays, formatCountdown, formatDate, formatDateLong, formatDateTime, todayInShanghai } from './dates'

describe('dates in Asia/Shanghai', () => {
  it('formats instants in Shanghai time whatever the input zone', () => {
    expect(formatDateTime('2026-03-05T06:03:00Z')).toBe('2026-03-05 14:03')
    expect(formatDateTime('2026-03-05T16:30:00Z')).toBe('2026-03-06 00:30')
    expect(formatDateTime('2026-03-05T16:30:09Z', { seconds: true })).toBe('2026-03-06 00:30:09')
    expect(formatDate('2026-12-31T16:00:00Z')).toBe('2027-01-01')
    expect(formatDate('2026-12-31T15:59:59Z')).toBe('2026-12-31')
  })
  it('keeps date-only values as they are', () => {
    expect(formatDate('2026-03-05')).toBe('2026-03-05')
    expect(formatDateLong('2026-03-05')).toBe('2026年3月5日')
  })
  it('dash for missing, raw text for garbage', () => {
    expect(formatDate(null)).toBe('—')
    expect(formatDateTime(undefined)).toBe('—')
    expect(formatDateTime('not a date')).toBe('not a date')
  })
  it('today and day arithmetic', () => {
    expect(todayInShanghai(new Date('2026-03-05T17:00:00Z'))).toBe('2026-03-06')
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
  })
  it('countdown', () => {
    const now = new Date('2026-03-05T00:00:00Z')
    expect(formatCountdown('2026-03-05T11:59:00Z', now)).toBe('11小时59分')
    expect(formatCountdown('2026-03-05T00:59:30Z', now)).toBe('59分30秒')
    expect(formatCountdown('2026-03-07T03:00:00Z', now)).toBe('2天3小时')
    expect(formatCountdown('2026-03-04T23:59:59Z', now)).toBe('已超时')
  })
})
