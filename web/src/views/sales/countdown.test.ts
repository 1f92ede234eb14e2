import { describe, expect, it } from 'vitest'
import { countdown } from './countdown'

const now = new Date('2026-03-05T02:00:00Z')

describe('deposit countdown (CON-1)', () => {
  it('shows hours, minutes and seconds left', () => {
    const c = countdown('2026-03-05T14:00:00Z', now)
    expect(c).toEqual({ seconds: 43200, clock: '12:00:00', urgent: false, expired: false })
  })
  it('is urgent under one hour', () => {
    expect(countdown('2026-03-05T02:59:59Z', now)).toMatchObject({ clock: '00:59:59', urgent: true })
    expect(countdown('2026-03-05T03:00:00Z', now).urgent).toBe(false)
  })
  it('stops at zero once the deadline has passed', () => {
    expect(countdown('2026-03-05T01:00:00Z', now)).toEqual({ seconds: 0, clock: '00:00:00', urgent: false, expired: true })
  })
  it('shows days for long deadlines', () => {
    expect(countdown('2026-03-06T03:02:03Z', now).clock).toBe('1天 01:02:03')
  })
  it('survives a bad date', () => {
    expect(countdown('not a date', now).clock).toBe('—')
  })
})
