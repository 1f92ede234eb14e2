// The deposit countdown of a subscription (CON-1: the deposit is due within the project's
// deposit_deadline_seconds, 12 h by default; after that the system cancels the subscription).

export interface Countdown {
  /** whole seconds left (0 when the deadline has passed) */
  seconds: number
  /** "11:59:58"; days shown as "1天 02:03:04" */
  clock: string
  /** under an hour left: shown in red */
  urgent: boolean
  expired: boolean
}

export const URGENT_SECONDS = 3600

const two = (n: number): string => String(n).padStart(2, '0')

export function countdown(deadline: string | Date, now: Date = new Date()): Countdown {
  const end = deadline instanceof Date ? deadline : new Date(deadline)
  if (Number.isNaN(end.getTime())) return { seconds: 0, clock: '—', urgent: false, expired: false }
  const seconds = Math.max(0, Math.floor((end.getTime() - now.getTime()) / 1000))
  const days = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  const clock = `${days > 0 ? `${days}天 ` : ''}${two(h)}:${two(m)}:${two(s)}`
  return { seconds, clock, urgent: seconds > 0 && seconds < URGENT_SECONDS, expired: seconds === 0 }
}
