import type { components } from '@/api/schema'

/** The unit statuses of docs/openapi.yaml (components.schemas.UnitStatus), INV-4. */
export type UnitStatus = components['schemas']['UnitStatus']

export interface UnitStatusStyle {
  /** zh-CN label for the board legend, tags and filters */
  label: string
  /** cell background */
  background: string
  /** text on the background: passes WCAG AA (≥ 4.5:1) against it */
  color: string
  /** Element Plus tag type closest to the colour, for el-tag in tables */
  tagType: 'success' | 'warning' | 'danger' | 'info' | 'primary'
}

// Order = the order of the legend (and of a unit's life).
export const UNIT_STATUSES = [
  'available',
  'reserved',
  'held',
  'subscribed',
  'signed',
  'handed_over',
  'not_for_sale',
] as const satisfies readonly UnitStatus[]

// Compile-time check that the list above names every status of the API and nothing else.
type Missing = Exclude<UnitStatus, (typeof UNIT_STATUSES)[number]>
const everyStatusListed: Missing extends never ? true : false = true
void everyStatusListed

export const UNIT_STATUS_STYLES: Readonly<Record<UnitStatus, UnitStatusStyle>> = {
  available: { label: '可售', background: '#1e7b34', color: '#ffffff', tagType: 'success' },
  reserved: { label: '预留', background: '#f5c400', color: '#1a1a1a', tagType: 'warning' },
  held: { label: '锁定中', background: '#e8833a', color: '#1a1a1a', tagType: 'warning' },
  subscribed: { label: '已认购', background: '#c0262d', color: '#ffffff', tagType: 'danger' },
  signed: { label: '已签约', background: '#1d4f91', color: '#ffffff', tagType: 'primary' },
  handed_over: { label: '已交房', background: '#6b3fa0', color: '#ffffff', tagType: 'info' },
  not_for_sale: { label: '不可售', background: '#5c6166', color: '#ffffff', tagType: 'info' },
}

export function unitStatusLabel(status: string): string {
  return isUnitStatus(status) ? UNIT_STATUS_STYLES[status].label : status
}

export function unitStatusStyle(status: string): UnitStatusStyle {
  return isUnitStatus(status)
    ? UNIT_STATUS_STYLES[status]
    : { label: status, background: '#ffffff', color: '#1a1a1a', tagType: 'info' }
}

export function isUnitStatus(value: string): value is UnitStatus {
  return (UNIT_STATUSES as readonly string[]).includes(value)
}

// WCAG 2.x relative luminance and contrast ratio, used by the unit tests and by anyone
// adding a colour.
function channel(c: number): number {
  const s = c / 255
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
}

export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`)
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h ?? '0', 16)) as [number, number, number]
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}
