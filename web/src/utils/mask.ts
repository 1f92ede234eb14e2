// Personal data arrives masked from the API (CUS-8). These helpers only recognise masks and
// mask values the console itself holds (never unmask: "显示完整" goes through the audited API).

/** Whether a value from the API is a mask ("138****5678", "510***********123X", "北京市朝阳区****"). */
export function isMasked(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.includes('*')
}

/** 13812345678 → "138****5678"; shorter numbers keep their first 3 and last 2 characters. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '')
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`
  if (digits.length > 5) return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 5)}${digits.slice(-2)}`
  return '*'.repeat(digits.length)
}

/** 110101199003071234 → "110***********1234"-style: first 3 and last 4 kept. */
export function maskIdNumber(id: string): string {
  if (id.length <= 7) return '*'.repeat(id.length)
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`
}
