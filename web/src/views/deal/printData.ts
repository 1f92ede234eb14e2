// Loading helpers shared by the print views: the project, the unit and (where the caller's
// roles allow reading customers) the buyer; each is best effort except the document itself.
import { api, unwrap } from '@/api'
import { can } from '@/utils/permissions'

export interface ProjectInfo {
  code?: string
  name?: string
  city?: string
}
export interface UnitInfo {
  unit_number?: string
  building_name?: string
  floor?: number
  layout?: string
  orientation?: string
  gross_area_centi_m2?: number
  internal_area_centi_m2?: number
  shared_area_centi_m2?: number
  list_unit_price_fen_per_m2?: number
}
export interface CustomerInfo {
  name?: string
  phone?: string
  id_number?: string | null
}

export async function projectOf(id: string): Promise<ProjectInfo | null> {
  try {
    return (await unwrap(api.GET('/api/v1/projects/{project_id}', { params: { path: { project_id: id } } }))) as ProjectInfo
  } catch {
    return null
  }
}

export async function unitOf(id: string): Promise<UnitInfo | null> {
  try {
    return (await unwrap(api.GET('/api/v1/units/{unit_id}', { params: { path: { unit_id: id } } }))) as UnitInfo
  } catch {
    return null
  }
}

/** The buyer as the API shows it to this caller (masked PII, CUS-8), or null. */
export async function customerOf(id: string, roles: readonly string[]): Promise<CustomerInfo | null> {
  if (!can(roles, ['customer.manage', 'customer.complaint'])) return null
  try {
    return (await unwrap(api.GET('/api/v1/customers/{id}', { params: { path: { id } } }))) as CustomerInfo
  } catch {
    return null
  }
}

export const ORIENTATION_LABELS: Readonly<Record<string, string>> = {
  south: '南',
  north: '北',
  east: '东',
  west: '西',
  north_south: '南北通透',
  east_west: '东西',
}
