// Answers of the manager/admin API that docs/openapi.yaml describes in prose only (`schema:
// {type: object}` with the fields listed in the description): openapi-typescript turns them into
// `Record<string, never>`, so the fields are declared here, following the description word for
// word. Typed schemas (Customer, Complaint, User, Project, AuditRecord…) come from '@/api'.
import type { Schema } from '@/api'

export type Customer = Schema<'Customer'>
export type Complaint = Schema<'Complaint'>
export type User = Schema<'User'>
export type Project = Schema<'Project'>
export type AuditRecord = Schema<'AuditRecord'>
export type Departure = Schema<'Departure'>

/**
 * An answer documented in prose: the generated type carries no fields, the real body does.
 * The cast is the one place where the prose description is trusted (see the interfaces below).
 */
export function documented<T>(body: object): T {
  return body as unknown as T
}

/** GET /api/v1/collisions items (CUS-3). */
export interface Collision {
  id: string
  project_id: string
  customer_id: string
  owner_id: string
  claimant_id: string
  status: 'open' | 'confirmed' | 'reassigned'
  attempted_name: string
  /** masked 138****5678 */
  phone: string
  recorded_at: string
  resolved_by: string | null
  resolution_note: string | null
  resolved_at: string | null
}

export interface CollisionPage {
  items: Collision[]
  limit: number
  offset: number
}

/** GET /api/v1/customers:stale (CUS-4). */
export interface StalePage {
  items: Customer[]
  total: number
  stale_days: number
  limit: number
  offset: number
}

/** GET /api/v1/reports/receipts (FIN-6). */
export interface ReceiptsDay {
  date: string
  receipts_fen: number
  refunds_fen: number
  reversals_fen: number
  net_fen: number
  count: number
}

export interface ReceiptsReport {
  project_id: string
  from: string
  to: string
  days: ReceiptsDay[]
  totals: Omit<ReceiptsDay, 'date'>
  ledger_sum_fen: number
  ledger_count: number
}

/** GET /api/v1/reports/arrears (FIN-5). */
export type ArrearsBucket = 'd1_7' | 'd8_14' | 'd15_30' | 'd31_60' | 'over_60'

export interface ArrearsContract {
  contract_id: string
  contract_no: string
  customer_id: string
  /** the owning sales rep */
  rep_id: string
  overdue_fen: number
  penalty_fen: number
  paid_fen: number
  balance_fen: number
}

export interface ArrearsReport {
  project_id: string
  as_of: string
  buckets: Record<ArrearsBucket, number>
  overdue_fen: number
  penalty_fen: number
  contracts: ArrearsContract[]
}
