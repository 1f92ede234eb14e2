import { describe, expect, it } from 'vitest'
import { backoffDelay, createSseParser, LiveConnection, parseUnitEvent, type LiveUnitEvent, type SseMessage } from './liveBoard'

function collect(): { messages: SseMessage[]; push: (s: string) => void; retry: () => number | null } {
  const messages: SseMessage[] = []
  const parser = createSseParser((m) => messages.push(m))
  return { messages, push: (s) => parser.push(s), retry: () => parser.retryMs }
}

const statusData = JSON.stringify({
  type: 'inventory.unit.status_changed',
  time: '2026-03-05T02:00:00Z',
  sequence: 4,
  data: { unit_id: 'u-1', project_id: 'p-1', unit_number: '1203', from: 'available', to: 'reserved', action: 'reserve', version: 4 },
})

describe('SSE parser', () => {
  it('reads the gateway stream: retry, ready, unit, comment', () => {
    const c = collect()
    c.push(`retry: 2000\n\nid: e1-0\nevent: ready\ndata: {}\n\n: keep-alive\n\nid: e1-1\nevent: unit\ndata: ${statusData}\n\n`)
    expect(c.retry()).toBe(2000)
    expect(c.messages).toEqual([
      { id: 'e1-0', event: 'ready', data: '{}' },
      { id: 'e1-1', event: 'unit', data: statusData },
    ])
  })

  it('handles any chunking, even inside a field name or the line ending', () => {
    const text = `id: a-7\r\nevent: unit\r\ndata: ${statusData}\r\n\r\n`
    for (const size of [1, 2, 3, 7, 64]) {
      const c = collect()
      for (let i = 0; i < text.length; i += size) c.push(text.slice(i, i + size))
      expect(c.messages).toEqual([{ id: 'a-7', event: 'unit', data: statusData }])
    }
  })

  it('accepts LF, CRLF and CR line endings', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const c = collect()
      c.push(`event: reset${eol}data: {"reason":"x"}${eol}${eol}`)
      expect(c.messages).toEqual([{ event: 'reset', data: '{"reason":"x"}' }])
    }
  })

  it('joins data lines with \\n, strips one leading space only, defaults the event to message', () => {
    const c = collect()
    c.push('data:  two spaces\ndata:none\ndata\n\n')
    expect(c.messages).toEqual([{ event: 'message', data: ' two spaces\nnone\n' }])
  })

  it('does not dispatch a message without data, nor an unfinished one', () => {
    const c = collect()
    c.push('id: 5\nevent: ready\n\nevent: unit\ndata: {"partial"')
    expect(c.messages).toEqual([])
    c.push(':true}\n')
    expect(c.messages).toEqual([])
    c.push('\n')
    expect(c.messages).toEqual([{ event: 'unit', data: '{"partial":true}' }])
  })

  it('ignores unknown fields and a non-numeric retry', () => {
    const c = collect()
    c.push('foo: bar\nretry: soon\nevent: expired\ndata: {"reason":"expired"}\n\n')
    expect(c.retry()).toBeNull()
    expect(c.messages).toEqual([{ event: 'expired', data: '{"reason":"expired"}' }])
  })

  it('keeps multi-byte text intact across chunks (decoded by the caller with stream: true)', () => {
    const bytes = new TextEncoder().encode('event: unit\ndata: {"n":"楼盘表"}\n\n')
    const decoder = new TextDecoder()
    const c = collect()
    for (let i = 0; i < bytes.length; i++) c.push(decoder.decode(bytes.slice(i, i + 1), { stream: true }))
    expect(c.messages).toEqual([{ event: 'unit', data: '{"n":"楼盘表"}' }])
  })
})

describe('unit events', () => {
  it('status_changed → kind status with from/to and version', () => {
    const e = parseUnitEvent({ id: 'x-1', event: 'unit', data: statusData })
    expect(e).toMatchObject({ kind: 'status', id: 'x-1', sequence: 4, data: { unit_id: 'u-1', from: 'available', to: 'reserved', version: 4 } })
  })
  it('price_changed → kind price', () => {
    const data = JSON.stringify({
      type: 'inventory.unit.price_changed',
      sequence: 2,
      data: { unit_id: 'u-2', project_id: 'p-1', list_total_fen: 198_000_000, gross_area_centi_m2: 10_500, version: 2 },
    })
    expect(parseUnitEvent({ event: 'unit', data })).toMatchObject({ kind: 'price', data: { list_total_fen: 198_000_000 } })
  })
  it('anything else → null', () => {
    expect(parseUnitEvent({ event: 'unit', data: 'not json' })).toBeNull()
    expect(parseUnitEvent({ event: 'unit', data: '{"type":"inventory.project.created","data":{"unit_id":"u","project_id":"p"}}' })).toBeNull()
    expect(parseUnitEvent({ event: 'unit', data: '{"type":"inventory.unit.status_changed","data":{"project_id":"p","to":"held"}}' })).toBeNull()
    expect(parseUnitEvent({ event: 'unit', data: '{"type":"inventory.unit.status_changed","data":{"unit_id":"u","project_id":"p"}}' })).toBeNull()
  })
})

describe('backoff', () => {
  it('doubles from 0.5 s up to 15 s, with ±25 % jitter', () => {
    const mid = () => 0.5
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, mid))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000])
    expect(backoffDelay(0, () => 0)).toBe(375)
    expect(backoffDelay(0, () => 0.999)).toBeLessThanOrEqual(625)
  })
})

// --- the connection, with a scripted server -----------------------------------------------------------

function streamOf(parts: string[], options: { hang?: boolean } = {}): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(enc.encode(p))
      if (!options.hang) controller.close()
    },
  })
}

interface Seen {
  url: string
  lastEventId: string | null
  auth: string | null
}

describe('LiveConnection', () => {
  it('reconnects after a drop with Last-Event-ID, replays, reloads on reset, renews the token on expired', async () => {
    const seen: Seen[] = []
    const units: LiveUnitEvent[] = []
    const states: string[] = []
    const ready: boolean[] = []
    let resets = 0
    let token = 'tok-1'
    let refreshes = 0
    const sleeps: number[] = []
    let connection: LiveConnection | null = null

    const script: (() => Response)[] = [
      // 1: ready, one unit event, then the connection drops
      () => new Response(streamOf(['retry: 2000\n\nid: e-0\nevent: ready\ndata: {}\n\n', `id: e-1\nevent: unit\ndata: ${statusData}\n\n`])),
      // 2: the gateway is busy
      () => new Response('{"error":{"code":"too_many_connections","message":"busy"}}', { status: 503 }),
      // 3: resumed: ready, then a reset (events since e-1 are not kept), then expired
      () =>
        new Response(
          streamOf([
            'id: e-5\nevent: ready\ndata: {}\n\n',
            'id: e-5\nevent: reset\ndata: {"reason":"x"}\n\n',
            'event: expired\ndata: {"reason":"expired"}\n\n',
            `id: e-9\nevent: unit\ndata: ${statusData}\n\n`, // after expired: ignored
          ]),
        ),
      // 4: with the fresh token; stays open until stop()
      () => new Response(streamOf(['id: e-6\nevent: ready\ndata: {}\n\n'], { hang: true })),
    ]

    await new Promise<void>((resolve) => {
      connection = new LiveConnection({
        url: '/api/v1/live/board?project_id=p-1',
        onUnit: (e) => units.push(e),
        onReset: () => resets++,
        onReady: (resumed) => {
          ready.push(resumed)
          if (ready.length === 3) connection?.stop()
        },
        onState: (s) => {
          states.push(s)
          if (s === 'stopped') resolve()
        },
        accessToken: () => token,
        refresh: async () => {
          refreshes++
          token = 'tok-2'
          return true
        },
        sleep: async (ms) => {
          sleeps.push(ms)
        },
        random: () => 0.5,
        fetch: async (r) => {
          seen.push({ url: r.url, lastEventId: r.headers.get('Last-Event-ID'), auth: token })
          const next = script[seen.length - 1]
          if (!next) throw new Error('unexpected connect')
          return next()
        },
      })
      connection.start()
    })

    expect(seen.map((s) => s.lastEventId)).toEqual([null, 'e-1', 'e-1', 'e-5'])
    expect(seen[0]?.url).toBe('http://127.0.0.1/api/v1/live/board?project_id=p-1')
    expect(seen.map((s) => s.auth)).toEqual(['tok-1', 'tok-1', 'tok-1', 'tok-2'])
    expect(units).toHaveLength(1)
    expect(units[0]).toMatchObject({ kind: 'status', data: { to: 'reserved' } })
    expect(resets).toBe(1)
    expect(refreshes).toBe(1)
    expect(ready).toEqual([false, true, true])
    // after the drop: the server's retry (2 s) as base; then doubled after the 503; none after expired
    expect(sleeps).toEqual([2000, 4000])
    expect(states).toEqual(['live', 'reconnecting', 'live', 'reconnecting', 'live', 'stopped'])
  })

  it('a 401 (session lost, the client already logged out) stops the stream', async () => {
    const states: string[] = []
    await new Promise<void>((resolve) => {
      new LiveConnection({
        url: '/api/v1/live/board',
        onUnit: () => {},
        onReset: () => {},
        onState: (s) => {
          states.push(s)
          if (s === 'stopped') resolve()
        },
        accessToken: () => 't',
        fetch: async () => new Response('{}', { status: 401 }),
      }).start()
    })
    expect(states).toEqual(['stopped'])
  })
})
