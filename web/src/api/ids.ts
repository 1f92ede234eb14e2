// UUID v4 from crypto.getRandomValues: crypto.randomUUID exists only in secure contexts, and an
// office PC may open the console over plain http on the LAN.
export function uuid(): string {
  const b = new Uint8Array(16)
  crypto.getRandomValues(b)
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * A fresh Idempotency-Key for a POST that creates something. Create it ONCE per user intent
 * (e.g. when the dialog opens) and reuse it if the same submission is retried, so the gateway
 * and service can answer the replay instead of creating twice.
 */
export function idempotencyKey(): string {
  return uuid()
}

/** Headers for a creating POST: `{ headers: idempotencyHeaders(key) }` in an openapi-fetch call. */
export function idempotencyHeaders(key: string = idempotencyKey()): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': key }
}
