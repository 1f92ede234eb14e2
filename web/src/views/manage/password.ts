// An initial password the policy accepts (≥ 12 characters, three classes; the user changes it
// at first login). crypto.getRandomValues: works over plain http on the office LAN too.
const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '-_.#@%'] as const

function pick(set: string, random: number): string {
  return set.charAt(random % set.length)
}

export function generatePassword(length = 14): string {
  const r = new Uint32Array(length + 4)
  crypto.getRandomValues(r)
  const all = SETS.join('')
  // one of each class first, then any characters, then shuffled
  const chars = SETS.map((s, i) => pick(s, r[i] ?? 0))
  for (let i = SETS.length; i < length; i++) chars.push(pick(all, r[i] ?? 0))
  for (let i = chars.length - 1; i > 0; i--) {
    const j = (r[(i + 3) % r.length] ?? 0) % (i + 1)
    const t = chars[i] as string
    chars[i] = chars[j] as string
    chars[j] = t
  }
  return chars.join('')
}
