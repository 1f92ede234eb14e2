// The live 楼盘表: GET /api/v1/live/board as Server-Sent Events, read with fetch and a streaming
// reader (EventSource cannot send the Authorization header). docs/openapi.yaml
// `/api/v1/live/board`, docs/events.md inventory.unit.status_changed / price_changed.
//
// - `event: ready` opens the stream (its id is the newest): we are live.
// - `event: unit` carries {"type","time","sequence","data":{…}}: handed to onUnit.
// - `event: reset`: what was missed cannot be told; the board must be reloaded.
// - `event: expired`: the access token expired or the session was revoked; reconnect with a
//   fresh token (the auth store refreshes; refreshShared() shares one refresh).
// - the stream drops (network, gateway restart): reconnect after a backoff, sending the last id
//   seen as Last-Event-ID so the gateway replays what was missed.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue'
import { authorizedFetch } from '@/api/client'
import { refreshShared, sessionHooks } from '@/api/session'

// --- the SSE parser (https://html.spec.whatwg.org/multipage/server-sent-events.html) ---------

export interface SseMessage {
  /** the `id` field of this message, when it had one */
  id?: string
  /** `event` field; "message" when absent */
  event: string
  /** the `data` lines joined with "\n" */
  data: string
}

export interface SseParser {
  /** feeds decoded text (any chunking: lines may be split across chunks) */
  push(chunk: string): void
  /** the last `retry:` value in ms, if the server sent one */
  readonly retryMs: number | null
}

/**
 * An incremental Server-Sent Events parser: lines end with CRLF, LF or CR; `:` starts a
 * comment; `field: value` (one optional space after the colon); a blank line dispatches the
 * message; a message without data is not dispatched (but its `id` still counts, as in the
 * spec: it is reported on the next message only if that one has no id of its own — we keep
 * it simple and report ids per message, the caller remembers the last one).
 */
export function createSseParser(onMessage: (message: SseMessage) => void): SseParser {
  let buffer = ''
  let pendingCr = false
  let id: string | undefined
  let event = ''
  let data: string[] = []
  let hasData = false
  let retryMs: number | null = null

  function dispatch(): void {
    if (hasData) onMessage({ ...(id !== undefined ? { id } : {}), event: event || 'message', data: data.join('\n') })
    id = undefined
    event = ''
    data = []
    hasData = false
  }

  function line(text: string): void {
    if (text === '') {
      dispatch()
      return
    }
    if (text.startsWith(':')) return // comment (keep-alive)
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    switch (field) {
      case 'id':
        if (!value.includes('\0')) id = value
        break
      case 'event':
        event = value
        break
      case 'data':
        data.push(value)
        hasData = true
        break
      case 'retry':
        if (/^\d+$/.test(value)) retryMs = Number(value)
        break
      default:
        break // unknown fields are ignored
    }
  }

  return {
    push(chunk: string): void {
      let text = chunk
      // A CR at the end of the previous chunk and an LF at the start of this one are one CRLF.
      if (pendingCr && text.startsWith('\n')) text = text.slice(1)
      pendingCr = false
      buffer += text
      let start = 0
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i)
        if (c === 10 /* \n */ || c === 13 /* \r */) {
          line(buffer.slice(start, i))
          if (c === 13) {
            if (i + 1 < buffer.length) {
              if (buffer.charCodeAt(i + 1) === 10) i++
            } else {
              pendingCr = true
            }
          }
          start = i + 1
        }
      }
      buffer = buffer.slice(start)
    },
    get retryMs() {
      return retryMs
    },
  }
}

// --- the events --------------------------------------------------------------------------------

/** inventory.unit.status_changed data (docs/events.md) */
export interface UnitStatusChanged {
  unit_id: string
  project_id: string
  building_id?: string
  unit_number?: string
  from?: string | null
  to: string
  action?: string
  subscription_id?: string | null
  version?: number
}

/** inventory.unit.price_changed data (docs/events.md) */
export interface UnitPriceChanged {
  unit_id: string
  project_id: string
  unit_number?: string
  internal_area_centi_m2?: number
  shared_area_centi_m2?: number
  gross_area_centi_m2?: number
  list_unit_price_fen_per_m2?: number
  list_total_fen?: number
  effective_from?: string
  source?: string
  version?: number
}

export type LiveUnitEvent =
  | { kind: 'status'; id?: string; time?: string; sequence?: number; data: UnitStatusChanged }
  | { kind: 'price'; id?: string; time?: string; sequence?: number; data: UnitPriceChanged }

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * The `data` of an `event: unit` message → a typed event, or null when it is not one we know
 * (another event type, unreadable JSON, missing unit id).
 */
export function parseUnitEvent(message: SseMessage): LiveUnitEvent | null {
  let body: unknown
  try {
    body = JSON.parse(message.data)
  } catch {
    return null
  }
  if (!isRecord(body) || !isRecord(body['data'])) return null
  const type = body['type']
  const data = body['data']
  if (typeof data['unit_id'] !== 'string' || typeof data['project_id'] !== 'string') return null
  const meta = {
    ...(message.id !== undefined ? { id: message.id } : {}),
    ...(typeof body['time'] === 'string' ? { time: body['time'] } : {}),
    ...(typeof body['sequence'] === 'number' ? { sequence: body['sequence'] } : {}),
  }
  if (type === 'inventory.unit.status_changed') {
    if (typeof data['to'] !== 'string') return null
    return { kind: 'status', ...meta, data: data as unknown as UnitStatusChanged }
  }
  if (type === 'inventory.unit.price_changed') {
    return { kind: 'price', ...meta, data: data as unknown as UnitPriceChanged }
  }
  return null
}

/** The version an event brings the unit to (data.version, else the envelope's sequence). */
export function eventVersion(event: LiveUnitEvent): number | null {
  const v = event.data.version ?? event.sequence
  return typeof v === 'number' ? v : null
}

// --- the connection ----------------------------------------------------------------------------

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped'

export interface LiveConnectionOptions {
  /** the stream URL (path + query), e.g. /api/v1/live/board?project_id=… */
  url: string
  onUnit(event: LiveUnitEvent): void
  /** the board must be reloaded (reset, or a reconnect whose gap cannot be told) */
  onReset(): void
  /**
   * The stream is open. `resumed`: it continues from a Last-Event-ID (missed events are
   * replayed); otherwise changes made before this moment are not in the stream.
   */
  onReady?(resumed: boolean): void
  onState?(state: LiveState): void
  /** for tests: fetch with the session (default: authorizedFetch) */
  fetch?: (request: Request) => Promise<Response>
  /** for tests: the current access token (default: the session's) */
  accessToken?: () => string | null
  /** for tests: exchange the refresh token (default: refreshShared) */
  refresh?: () => Promise<boolean>
  /** for tests: wait (default: setTimeout) */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** for tests: backoff jitter in [0, 1) (default Math.random) */
  random?: () => number
}

const BACKOFF_MIN_MS = 500
const BACKOFF_MAX_MS = 15_000

/** Delay before reconnect attempt number `attempt` (0-based): 0.5 s, 1 s, 2 s … ≤ 15 s, ±25 %. */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = BACKOFF_MIN_MS): number {
  const raw = Math.min(BACKOFF_MAX_MS, baseMs * 2 ** Math.min(attempt, 10))
  return Math.round(raw * (0.75 + random() * 0.5))
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done(): void {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}

/**
 * Keeps one live stream open until stop(): reconnects after drops with a backoff and
 * Last-Event-ID, asks for a reload on `reset`, reconnects with a fresh token on `expired`.
 */
export class LiveConnection {
  private readonly controller = new AbortController()
  private stream: AbortController | null = null
  private state: LiveState = 'connecting'
  /** the id of the last message seen (ready, unit or reset) */
  lastEventId: string | null = null
  private running = false

  constructor(private readonly options: LiveConnectionOptions) {}

  get currentState(): LiveState {
    return this.state
  }

  private setState(state: LiveState): void {
    if (this.state === state) return
    this.state = state
    this.options.onState?.(state)
  }

  start(): void {
    if (this.running) return
    this.running = true
    void this.loop()
  }

  stop(): void {
    this.controller.abort()
    this.stream?.abort()
    this.setState('stopped')
  }

  private async loop(): Promise<void> {
    const o = this.options
    const doFetch = o.fetch ?? ((r: Request) => authorizedFetch(r))
    const token = o.accessToken ?? (() => sessionHooks().accessToken())
    const refresh = o.refresh ?? refreshShared
    const sleep = o.sleep ?? defaultSleep
    const random = o.random ?? Math.random
    let attempt = 0
    let retryBase = BACKOFF_MIN_MS

    while (!this.controller.signal.aborted) {
      const stream = new AbortController()
      this.stream = stream
      const usedToken = token()
      const resumed = this.lastEventId !== null
      let outcome: 'dropped' | 'expired' | 'refused' = 'dropped'
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' }
        if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId
        const response = await doFetch(new Request(new URL(o.url, origin()), { headers, signal: stream.signal, cache: 'no-store' }))
        if (!response.ok || !response.body) {
          // 401 after a refused refresh: the session is lost (the hooks log out); 403/503:
          // retry later with the backoff.
          outcome = response.status === 401 ? 'refused' : 'dropped'
          await response.body?.cancel().catch(() => {})
        } else {
          outcome = await this.read(response.body, stream, () => {
            attempt = 0
            o.onReady?.(resumed)
          })
        }
      } catch {
        outcome = 'dropped'
      }
      if (this.controller.signal.aborted) break
      if (outcome === 'refused') {
        this.setState('stopped')
        return
      }
      this.setState('reconnecting')
      if (outcome === 'expired') {
        // The auth store usually refreshed a minute before expiry: use that token, else refresh.
        const now = token()
        if (!now || now === usedToken) {
          const ok = await refresh()
          if (!ok) {
            this.setState('stopped')
            return
          }
        }
        continue // at once, with the fresh token
      }
      retryBase = Math.max(BACKOFF_MIN_MS, Math.min(this.parserRetry ?? BACKOFF_MIN_MS, BACKOFF_MAX_MS))
      await sleep(backoffDelay(attempt, random, retryBase), this.controller.signal)
      attempt++
    }
  }

  private parserRetry: number | null = null

  private async read(body: ReadableStream<Uint8Array>, stream: AbortController, onLive: () => void): Promise<'dropped' | 'expired'> {
    const reader = body.getReader()
    const decoder = new TextDecoder()
    const result: { outcome: 'dropped' | 'expired' } = { outcome: 'dropped' }
    const parser = createSseParser((m) => {
      if (result.outcome === 'expired') return
      switch (m.event) {
        case 'ready':
          if (m.id) this.lastEventId = m.id
          this.setState('live')
          onLive()
          break
        case 'unit': {
          if (m.id) this.lastEventId = m.id
          const event = parseUnitEvent(m)
          if (event) this.options.onUnit(event)
          break
        }
        case 'reset':
          if (m.id) this.lastEventId = m.id
          this.options.onReset()
          break
        case 'expired':
          result.outcome = 'expired'
          stream.abort()
          break
        default:
          break
      }
    })
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        parser.push(decoder.decode(value, { stream: true }))
        if (result.outcome === 'expired') break
      }
    } catch {
      // aborted or the connection dropped
    } finally {
      this.parserRetry = parser.retryMs
      reader.releaseLock()
    }
    return result.outcome
  }
}

function origin(): string {
  return typeof window !== 'undefined' ? window.location.origin : 'http://127.0.0.1'
}

// --- the composable ------------------------------------------------------------------------------

export interface UseLiveBoardOptions {
  onUnit(event: LiveUnitEvent): void
  onReset(): void
  onReady?(resumed: boolean): void
}

/**
 * The live stream of the current project, for the board screen: restarts when the project
 * changes, stops when the component unmounts. `state` drives the 实时 / 重连中 indicator.
 */
export function useLiveBoard(projectId: Ref<string>, options: UseLiveBoardOptions): { state: Ref<LiveState> } {
  const state = ref<LiveState>('connecting')
  let connection: LiveConnection | null = null

  watch(
    projectId,
    (id) => {
      connection?.stop()
      connection = null
      if (!id) {
        state.value = 'stopped'
        return
      }
      state.value = 'connecting'
      const c = new LiveConnection({
        url: `/api/v1/live/board?project_id=${encodeURIComponent(id)}`,
        onUnit: options.onUnit,
        onReset: options.onReset,
        ...(options.onReady ? { onReady: options.onReady } : {}),
        onState: (s) => {
          if (connection === c) state.value = s
        },
      })
      connection = c
      c.start()
    },
    { immediate: true },
  )

  onBeforeUnmount(() => {
    connection?.stop()
    connection = null
  })

  return { state }
}
