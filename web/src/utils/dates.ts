// Dates and times shown in Asia/Shanghai, zh-CN, whatever the browser's time zone.

export const TIME_ZONE = 'Asia/Shanghai'

const dateParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function parts(d: Date): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of dateParts.formatToParts(d)) out[p.type] = p.value
  return out
}

function toDate(value: string | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** An ISO date-time → "2026-03-05" in Shanghai; a date-only "2026-03-05" is returned as is. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'string' && DATE_ONLY.test(value)) return value
  const d = toDate(value)
  if (!d) return String(value)
  const p = parts(d)
  return `${p.year}-${p.month}-${p.day}`
}

/** An ISO date-time → "2026-03-05 14:03" in Shanghai (seconds with `seconds: true`). */
export function formatDateTime(
  value: string | Date | null | undefined,
  options: { seconds?: boolean } = {},
): string {
  if (value === null || value === undefined || value === '') return '—'
  const d = toDate(value)
  if (!d) return String(value)
  const p = parts(d)
  const time = options.seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`
  return `${p.year}-${p.month}-${p.day} ${time}`
}

/** A date as "2026年3月5日" (for printed documents). */
export function formatDateLong(value: string | Date | null | undefined): string {
  const iso = formatDate(value)
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) return iso
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`
}

/** Today in Shanghai as "YYYY-MM-DD" (`now` for tests). */
export function todayInShanghai(now: Date = new Date()): string {
  return formatDate(now)
}

/** Adds whole days to a "YYYY-MM-DD" date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) throw new RangeError(`not a date: ${date}`)
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days))
  return d.toISOString().slice(0, 10)
}

/**
 * Time left until `deadline` as zh-CN text: "11小时59分", "59分30秒", "已超时" (deposit
 * countdown, CON-1). `now` for tests.
 */
export function formatCountdown(deadline: string | Date, now: Date = new Date()): string {
  const d = toDate(deadline)
  if (!d) return '—'
  let s = Math.floor((d.getTime() - now.getTime()) / 1000)
  if (s <= 0) return '已超时'
  const days = Math.floor(s / 86400)
  s -= days * 86400
  const hours = Math.floor(s / 3600)
  s -= hours * 3600
  const minutes = Math.floor(s / 60)
  const seconds = s - minutes * 60
  if (days > 0) return `${days}天${hours}小时`
  if (hours > 0) return `${hours}小时${minutes}分`
  return `${minutes}分${seconds}秒`
}
