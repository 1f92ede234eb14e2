// The 楼盘表's data model: the board response, filters, the grid rows, and live updates applied
// to cells in place. Pure functions (unit-tested in boardModel.test.ts).
import type { components } from '@/api/schema'
import type { LiveUnitEvent } from './liveBoard'

export type ProjectBoard = components['schemas']['ProjectBoard']
export type BoardBuilding = components['schemas']['BoardBuilding']
type BoardFloor = NonNullable<BoardBuilding['floors']>[number]
export type BoardCell = NonNullable<BoardFloor['units']>[number]

export interface BoardFilters {
  /** statuses shown; empty = all */
  statuses: readonly string[]
  /** layouts shown; empty = all */
  layouts: readonly string[]
  /** list total range in fen (inclusive); null = open */
  minFen: number | null
  maxFen: number | null
}

export const NO_FILTERS: BoardFilters = { statuses: [], layouts: [], minFen: null, maxFen: null }

export function filtersActive(f: BoardFilters): boolean {
  return f.statuses.length > 0 || f.layouts.length > 0 || f.minFen !== null || f.maxFen !== null
}

export function cellMatches(cell: BoardCell, f: BoardFilters): boolean {
  if (f.statuses.length > 0 && !f.statuses.includes(cell.status ?? '')) return false
  if (f.layouts.length > 0 && !f.layouts.includes(cell.layout ?? '')) return false
  const total = cell.list_total_fen
  if (f.minFen !== null && (total === undefined || total < f.minFen)) return false
  if (f.maxFen !== null && (total === undefined || total > f.maxFen)) return false
  return true
}

export interface GridRow {
  floor: number
  /** one slot per position 1..columns; null where there is no unit or the filters hide it */
  slots: (BoardCell | null)[]
}

export interface Grid {
  columns: number
  rows: GridRow[]
  /** cells shown (after filters) */
  shown: number
  total: number
}

/**
 * Floors (top floor first, as the API sends them) × positions 1..max. Hidden cells keep their
 * slot so that the columns stay aligned; floors without any shown cell are left out when
 * filters are active.
 */
export function buildGrid(building: BoardBuilding | null | undefined, f: BoardFilters): Grid {
  if (!building) return { columns: 0, rows: [], shown: 0, total: 0 }
  const floors = building.floors ?? []
  let columns = 0
  for (const fl of floors) for (const u of fl.units ?? []) columns = Math.max(columns, u.position ?? 0)
  const active = filtersActive(f)
  const rows: GridRow[] = []
  let shown = 0
  let total = 0
  for (const fl of floors) {
    const slots: (BoardCell | null)[] = new Array<BoardCell | null>(columns).fill(null)
    let any = false
    for (const u of fl.units ?? []) {
      total++
      const p = u.position ?? 0
      if (p < 1) continue
      if (!active || cellMatches(u, f)) {
        slots[p - 1] = u
        any = true
        shown++
      }
    }
    if (any || !active) rows.push({ floor: fl.floor ?? 0, slots })
  }
  return { columns, rows, shown, total }
}

/** The layouts of a building, sorted, for the filter. */
export function layoutsOf(building: BoardBuilding | null | undefined): string[] {
  const set = new Set<string>()
  for (const fl of building?.floors ?? []) for (const u of fl.units ?? []) if (u.layout) set.add(u.layout)
  return [...set].sort((a, b) => a.localeCompare(b, 'zh-CN'))
}

/**
 * Fen → 万元 with two decimals, rounded half up, integer arithmetic only:
 * 198_000_000 → "198.00万"; 1_234_567_890 → "1,234.57万".
 */
export function formatWan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isSafeInteger(fen)) return '—'
  const negative = fen < 0
  const abs = BigInt(Math.abs(fen))
  const hundredths = (abs + 5_000n) / 10_000n // 1万元 = 1,000,000 fen; 0.01万 = 10,000 fen
  const whole = (hundredths / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const dec = (hundredths % 100n).toString().padStart(2, '0')
  return `${negative ? '-' : ''}${whole}.${dec}万`
}

// --- live updates ----------------------------------------------------------------------------------

export interface CellIndexEntry {
  cell: BoardCell
  building: BoardBuilding
}

/** unit id → its cell and building, for applying live events in place. */
export function indexBoard(board: ProjectBoard | null | undefined): Map<string, CellIndexEntry> {
  const index = new Map<string, CellIndexEntry>()
  for (const b of board?.buildings ?? [])
    for (const fl of b.floors ?? []) for (const u of fl.units ?? []) if (u.unit_id) index.set(u.unit_id, { cell: u, building: b })
  return index
}

function bump(counts: Record<string, number> | undefined, status: string, delta: number): void {
  if (!counts) return
  const next = (counts[status] ?? 0) + delta
  if (next > 0) counts[status] = next
  else delete counts[status]
}

export type ApplyResult = 'applied' | 'unchanged' | 'unknown_unit' | 'stale'

/**
 * Applies one live event to the board IN PLACE (the cell, its building's and the project's
 * counts). `versions` remembers the unit versions already applied, so a replayed or late
 * event never undoes a newer one. 'unknown_unit': the unit is not on the board (reload it).
 */
export function applyLiveEvent(
  board: ProjectBoard,
  index: Map<string, CellIndexEntry>,
  versions: Map<string, number>,
  event: LiveUnitEvent,
): ApplyResult {
  if (board.project_id && event.data.project_id !== board.project_id) return 'unchanged'
  const entry = index.get(event.data.unit_id)
  if (!entry) return 'unknown_unit'
  const version = event.data.version ?? event.sequence
  if (typeof version === 'number') {
    const seen = versions.get(event.data.unit_id)
    if (seen !== undefined && version <= seen) return 'stale'
    versions.set(event.data.unit_id, version)
  }
  const { cell, building } = entry
  if (event.kind === 'status') {
    const from = cell.status
    const to = event.data.to as BoardCell['status']
    if (from === to) return 'unchanged'
    cell.status = to
    if (from) {
      bump(building.counts, from, -1)
      bump(board.counts, from, -1)
    }
    if (to) {
      bump(building.counts, to, 1)
      bump(board.counts, to, 1)
    }
    // A deal price belongs to sold units only (the board leaves it out otherwise).
    if (to === 'available' || to === 'not_for_sale' || to === 'reserved') cell.deal_price_fen = null
    return 'applied'
  }
  let changed = false
  if (typeof event.data.list_total_fen === 'number' && event.data.list_total_fen !== cell.list_total_fen) {
    cell.list_total_fen = event.data.list_total_fen
    changed = true
  }
  if (typeof event.data.gross_area_centi_m2 === 'number' && event.data.gross_area_centi_m2 !== cell.gross_area_centi_m2) {
    cell.gross_area_centi_m2 = event.data.gross_area_centi_m2
    changed = true
  }
  return changed ? 'applied' : 'unchanged'
}

// --- zh-CN labels ------------------------------------------------------------------------------------

const ORIENTATIONS: Record<string, string> = {
  south: '南',
  north: '北',
  east: '东',
  west: '西',
  south_east: '东南',
  south_west: '西南',
  north_east: '东北',
  north_west: '西北',
  north_south: '南北通透',
  east_west: '东西',
}
const DECORATIONS: Record<string, string> = { bare: '毛坯', simple: '简装', fine: '精装', luxury: '豪装' }
const ACTIONS: Record<string, string> = {
  create: '建档',
  release: '放售',
  withdraw: '停售（撤回销控）',
  reserve: '预留',
  end_reservation: '结束预留',
  hold: '认购锁定',
  hold_reserved: '预留转认购锁定',
  confirm: '认购确认（定金已收）',
  release_deal: '认购取消，房源释放',
  expire_hold: '锁定超时释放',
  take_subscribed: '换房占用',
  sign: '签约',
  hand_over: '交房',
}
const PRICE_SOURCES: Record<string, string> = {
  initial: '初始定价',
  edit: '资料修改',
  price_list: '价目表审批',
  change_request: '变更申请审批',
}

export const orientationLabel = (v: string | null | undefined): string => (v ? (ORIENTATIONS[v] ?? v) : '—')
export const decorationLabel = (v: string | null | undefined): string => (v ? (DECORATIONS[v] ?? v) : '—')
export const historyActionLabel = (v: string | null | undefined): string => (v ? (ACTIONS[v] ?? v) : '—')
export const priceSourceLabel = (v: string | null | undefined): string => (v ? (PRICE_SOURCES[v] ?? v) : '—')
