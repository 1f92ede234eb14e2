// The units of a project by id, from its sales-control board (GET /api/v1/projects/{id}/board:
// one call for every building), so that lists of subscriptions can name units ("1栋 1203")
// without one request per row, and the swap dialog can offer the available units.
import { ref, type Ref } from 'vue'
import { api, unwrap, toApiError, type ApiError, type Schema } from '@/api'
import type { UnitStatus } from '@/utils/unitStatus'
import { formatFen } from '@/utils/money'

export interface UnitSummary {
  unitId: string
  unitNumber: string
  buildingId: string
  buildingName: string
  floor: number
  status: UnitStatus | undefined
  grossAreaCentiM2: number | undefined
  listTotalFen: number | undefined
  layout: string | undefined
}

export interface BuildingSummary {
  id: string
  name: string
  counts: Record<string, number>
  units: UnitSummary[]
}

export function indexBoard(board: Schema<'ProjectBoard'>): { buildings: BuildingSummary[]; units: Map<string, UnitSummary> } {
  const units = new Map<string, UnitSummary>()
  const buildings: BuildingSummary[] = []
  for (const b of board.buildings ?? []) {
    const building: BuildingSummary = { id: b.building_id ?? '', name: b.name ?? '', counts: { ...(b.counts ?? {}) }, units: [] }
    for (const f of b.floors ?? []) {
      for (const u of f.units ?? []) {
        if (!u.unit_id) continue
        const s: UnitSummary = {
          unitId: u.unit_id,
          unitNumber: u.unit_number ?? '',
          buildingId: building.id,
          buildingName: building.name,
          floor: f.floor ?? 0,
          status: u.status,
          grossAreaCentiM2: u.gross_area_centi_m2,
          listTotalFen: u.list_total_fen,
          layout: u.layout,
        }
        units.set(s.unitId, s)
        building.units.push(s)
      }
    }
    buildings.push(building)
  }
  return { buildings, units }
}

/** "1栋 1203", or a short id when the unit is not on the board (other project, not loaded). */
/** A unit as a picker lists it: "1栋 301　3室2厅2卫　¥1,779,440.00". */
export function unitOptionLabel(u: UnitSummary): string {
  return `${u.buildingName} ${u.unitNumber}　${u.layout ?? ''}　${u.listTotalFen !== undefined ? formatFen(u.listTotalFen) : ''}`
}

export function unitName(units: ReadonlyMap<string, UnitSummary>, unitId: string): string {
  const u = units.get(unitId)
  return u ? `${u.buildingName} ${u.unitNumber}` : `房源 ${unitId.slice(0, 8)}`
}

export function useUnitIndex(): {
  units: Ref<Map<string, UnitSummary>>
  buildings: Ref<BuildingSummary[]>
  loading: Ref<boolean>
  error: Ref<ApiError | null>
  load: (projectId: string) => Promise<void>
} {
  const units = ref(new Map<string, UnitSummary>()) as Ref<Map<string, UnitSummary>>
  const buildings = ref<BuildingSummary[]>([])
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  async function load(projectId: string): Promise<void> {
    if (!projectId) return
    loading.value = true
    error.value = null
    try {
      const board = await unwrap(api.GET('/api/v1/projects/{project_id}/board', { params: { path: { project_id: projectId } } }))
      const indexed = indexBoard(board)
      units.value = indexed.units
      buildings.value = indexed.buildings
    } catch (e) {
      // The lists still work without unit names (they show short ids).
      error.value = toApiError(e)
    } finally {
      loading.value = false
    }
  }

  return { units, buildings, loading, error, load }
}
