// Role → permissions, mirroring the server: the role table of libs/auth/src/auth.cpp
// (role_table(); `admin` holds every permission) and the gateway's route table
// (services/gateway/src/domain/route_table.cpp: the permission each route needs; any one of a
// route's permissions suffices). The console offers an action only when the gateway would let
// the caller through; the server still decides (a 403 is shown like any other error).
// Keep both tables in step with the C++ ones (permissions.test.ts checks a few routes).

export const ROLES = [
  'admin',
  'operator',
  'sales_rep',
  'sales_control',
  'sales_supervisor',
  'sales_manager',
  'cashier',
  'finance_supervisor',
  'finance_director',
  'gm',
  'mortgage_clerk',
  'handover_clerk',
  'sales_service',
  'executive',
] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: '系统管理员',
  operator: '业务操作员',
  sales_rep: '置业顾问',
  sales_control: '现场销控',
  sales_supervisor: '销售主任',
  sales_manager: '销售经理',
  cashier: '收款员',
  finance_supervisor: '财务主任',
  finance_director: '财务总监',
  gm: '总经理',
  mortgage_clerk: '按揭经办',
  handover_clerk: '接楼经办',
  sales_service: '销售服务',
  executive: '管理层',
}

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? role
}

export const PERMISSIONS = [
  'project.manage',
  'unit.manage',
  'unit.read',
  'unit.reserve',
  'unit.release',
  'price_list.manage',
  'price_list.approve',
  'change_request.approve',
  'customer.manage',
  'customer.complaint',
  'customer.pii.read',
  'customer.reassign',
  'customer.export',
  'customer.archive',
  'customer.settings',
  'subscription.create',
  'subscription.read',
  'subscription.change',
  'subscription.cancel',
  'refund.request',
  'refund.approve',
  'contract.sign',
  'contract.audit',
  'contract.review',
  'contract.amend',
  'contract.register',
  'contract.settings',
  'contract.stamp',
  'contract.approve_discount',
  'contract.approve_late',
  'approval.request',
  'handover.manage',
  'handover.confirm',
  'handover.approve_early',
  'title.manage',
  'title.approve',
  'mortgage.manage',
  'mortgage.documents',
  'payment.collect',
  'finance.reconcile',
  'referral.confirm',
  'referral.redeem',
  'report.read',
  'user.manage',
  'audit.read',
  'webhook.manage',
  'deposit_case.manage',
] as const
export type Permission = (typeof PERMISSIONS)[number]

// libs/auth/src/auth.cpp role_table() — admin is handled apart (everything).
const ROLE_TABLE: Readonly<Record<Exclude<Role, 'admin'>, readonly Permission[]>> = {
  operator: ['project.manage', 'unit.manage', 'unit.read', 'price_list.manage'],
  sales_rep: [
    'unit.read', 'customer.manage', 'customer.complaint', 'subscription.create',
    'subscription.read', 'contract.sign', 'mortgage.documents',
  ],
  sales_control: [
    'unit.read', 'unit.reserve', 'unit.release', 'subscription.create', 'subscription.read',
    'subscription.cancel', 'refund.request', 'deposit_case.manage',
  ],
  sales_supervisor: [
    'unit.read', 'contract.audit', 'subscription.read', 'subscription.change',
    'approval.request', 'contract.amend', 'handover.confirm',
  ],
  sales_manager: [
    'unit.read', 'unit.reserve', 'unit.release', 'contract.audit', 'customer.manage',
    'customer.pii.read', 'customer.reassign', 'customer.export', 'customer.archive',
    'customer.settings', 'customer.complaint', 'subscription.read', 'subscription.change',
    'report.read', 'approval.request', 'contract.amend', 'contract.register',
    'contract.settings', 'refund.request', 'deposit_case.manage', 'title.approve',
  ],
  cashier: ['unit.read', 'subscription.read', 'payment.collect', 'referral.confirm'],
  finance_supervisor: [
    'unit.read', 'subscription.read', 'contract.review', 'finance.reconcile',
    'price_list.approve', 'referral.redeem',
  ],
  finance_director: [
    'unit.read', 'subscription.read', 'contract.review', 'refund.approve',
    'finance.reconcile', 'report.read', 'price_list.approve', 'change_request.approve',
  ],
  gm: [
    'unit.read', 'subscription.read', 'contract.stamp', 'report.read',
    'change_request.approve', 'contract.approve_discount', 'contract.approve_late',
    'handover.approve_early', 'deposit_case.manage',
  ],
  mortgage_clerk: ['unit.read', 'mortgage.manage'],
  handover_clerk: ['unit.read', 'handover.manage', 'title.manage'],
  sales_service: ['unit.read', 'handover.manage', 'title.manage', 'customer.complaint'],
  executive: ['unit.read', 'subscription.read', 'report.read'],
}

export function roleGrants(role: string, permission: Permission): boolean {
  if (role === 'admin') return true
  const granted = (ROLE_TABLE as Record<string, readonly Permission[] | undefined>)[role]
  return granted !== undefined && granted.includes(permission)
}

/** Whether any of the roles grants the permission (or any of several permissions). */
export function can(
  roles: readonly string[] | null | undefined,
  permission: Permission | readonly Permission[],
): boolean {
  if (!roles) return false
  const wanted: readonly Permission[] = typeof permission === 'string' ? [permission] : permission
  return wanted.some((p) => roles.some((r) => roleGrants(r, p)))
}

/** Every permission the roles hold. */
export function permissionsOf(roles: readonly string[]): Permission[] {
  return PERMISSIONS.filter((p) => can(roles, p))
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

interface RouteRule {
  method: HttpMethod
  pattern: string
  /** null = any logged-in caller; [] never happens */
  permissions: readonly Permission[] | null
}

const customerRead: Permission[] = ['customer.manage', 'customer.complaint']
const customerManage: Permission[] = ['customer.manage']
const customerManager: Permission[] = ['customer.reassign']
const financeRead: Permission[] = ['payment.collect', 'finance.reconcile', 'report.read']
const contractRead: Permission[] = ['subscription.read', 'handover.manage']
const mortgageRead: Permission[] = ['mortgage.manage', 'mortgage.documents', 'report.read']
const referralRead: Permission[] = [
  'payment.collect', 'finance.reconcile', 'referral.confirm', 'referral.redeem', 'report.read',
]

const rule = (method: HttpMethod, pattern: string, permissions: readonly Permission[] | null): RouteRule => ({
  method,
  pattern,
  permissions,
})

// services/gateway/src/domain/route_table.cpp (open and authenticated routes as null).
export const ROUTE_TABLE: readonly RouteRule[] = [
  rule('POST', '/api/v1/auth/logout', null),
  rule('GET', '/api/v1/auth/me', null),
  rule('POST', '/api/v1/auth/password', null),
  rule('GET', '/api/v1/staff', ['customer.reassign', 'report.read', 'user.manage']),
  rule('GET', '/api/v1/users', ['user.manage']),
  rule('POST', '/api/v1/users', ['user.manage']),
  rule('GET', '/api/v1/users/{user_id}', ['user.manage']),
  rule('POST', '/api/v1/users/{user_id}/disable', ['user.manage']),
  rule('POST', '/api/v1/users/{user_id}/enable', ['user.manage']),
  rule('POST', '/api/v1/users/{user_id}/password', ['user.manage']),
  rule('GET', '/api/v1/audit', ['audit.read']),
  rule('GET', '/api/v1/live/board', ['unit.read']),
  rule('POST', '/api/v1/projects', ['project.manage']),
  rule('GET', '/api/v1/projects', ['unit.read']),
  rule('GET', '/api/v1/projects/{project_id}', ['unit.read']),
  rule('PATCH', '/api/v1/projects/{project_id}/settings', ['project.manage']),
  rule('POST', '/api/v1/projects/{project_id}/phases', ['unit.manage']),
  rule('POST', '/api/v1/projects/{project_id}/buildings', ['unit.manage']),
  rule('POST', '/api/v1/buildings/{building_id}/units:bulk', ['unit.manage']),
  rule('GET', '/api/v1/units/{unit_id}', ['unit.read']),
  rule('PATCH', '/api/v1/units/{unit_id}', ['unit.manage']),
  rule('GET', '/api/v1/units/{unit_id}/history', ['unit.read']),
  rule('GET', '/api/v1/units/{unit_id}/prices', ['unit.read']),
  rule('POST', '/api/v1/units:release', ['unit.release']),
  rule('POST', '/api/v1/units:withdraw', ['unit.release']),
  rule('POST', '/api/v1/units/{unit_id}/reservation', ['unit.reserve']),
  rule('DELETE', '/api/v1/units/{unit_id}/reservation', ['unit.reserve']),
  rule('GET', '/api/v1/buildings/{building_id}/board', ['unit.read']),
  rule('GET', '/api/v1/projects/{project_id}/board', ['unit.read']),
  rule('POST', '/api/v1/projects/{project_id}/price-lists', ['price_list.manage']),
  rule('GET', '/api/v1/price-lists/{id}', ['unit.read']),
  rule('POST', '/api/v1/price-lists/{id}/approve', ['price_list.approve']),
  rule('POST', '/api/v1/units/{unit_id}/change-requests', ['unit.manage']),
  rule('POST', '/api/v1/change-requests/{id}/approve', ['change_request.approve']),
  rule('POST', '/api/v1/change-requests/{id}/reject', ['change_request.approve']),
  rule('POST', '/api/v1/buildings/{building_id}/title-area-surveys', ['title.manage']),
  rule('GET', '/api/v1/buildings/{building_id}/title-area-surveys', ['unit.read']),
  rule('GET', '/api/v1/title-area-surveys/{id}', ['unit.read']),
  rule('POST', '/api/v1/title-area-surveys/{id}/approve', ['title.approve']),
  rule('POST', '/api/v1/title-area-surveys/{id}/reject', ['title.approve']),
  rule('POST', '/api/v1/subscriptions', ['subscription.create']),
  rule('GET', '/api/v1/subscriptions', ['subscription.read']),
  rule('GET', '/api/v1/subscriptions/{id}', ['subscription.read']),
  rule('POST', '/api/v1/subscriptions/{id}/rename', ['subscription.change']),
  rule('POST', '/api/v1/subscriptions/{id}/swap', ['subscription.change']),
  rule('POST', '/api/v1/subscriptions/{id}/cancel', ['subscription.cancel']),
  rule('POST', '/api/v1/subscriptions/{id}/cancellation/approve', ['refund.approve']),
  rule('POST', '/api/v1/subscriptions/{id}/cancellation/reject', ['refund.approve']),
  rule('POST', '/api/v1/subscriptions/{id}/sign', ['contract.sign']),
  rule('GET', '/api/v1/deposit-cases', ['deposit_case.manage']),
  rule('POST', '/api/v1/deposit-cases/{id}/resolve', ['deposit_case.manage']),
  rule('GET', '/api/v1/contracts/{id}', contractRead),
  rule('POST', '/api/v1/discount-slips', ['approval.request']),
  rule('GET', '/api/v1/discount-slips/{id}', contractRead),
  rule('POST', '/api/v1/discount-slips/{id}/approve', ['contract.approve_discount']),
  rule('POST', '/api/v1/discount-slips/{id}/reject', ['contract.approve_discount']),
  rule('POST', '/api/v1/late-signing-approvals', ['approval.request']),
  rule('GET', '/api/v1/late-signing-approvals/{id}', contractRead),
  rule('POST', '/api/v1/late-signing-approvals/{id}/approve', ['contract.approve_late']),
  rule('POST', '/api/v1/late-signing-approvals/{id}/reject', ['contract.approve_late']),
  rule('POST', '/api/v1/early-handover-approvals', ['handover.manage']),
  rule('GET', '/api/v1/early-handover-approvals/{id}', contractRead),
  rule('POST', '/api/v1/early-handover-approvals/{id}/approve', ['handover.approve_early']),
  rule('POST', '/api/v1/early-handover-approvals/{id}/reject', ['handover.approve_early']),
  rule('POST', '/api/v1/contracts/{id}/audit/approve', ['contract.audit', 'contract.review']),
  rule('POST', '/api/v1/contracts/{id}/audit/reject', ['contract.audit', 'contract.review']),
  rule('POST', '/api/v1/amendments/{id}/audit/approve', ['contract.audit', 'contract.review']),
  rule('POST', '/api/v1/amendments/{id}/audit/reject', ['contract.audit', 'contract.review']),
  rule('POST', '/api/v1/contracts/{id}/resubmit', ['contract.sign']),
  rule('POST', '/api/v1/contracts/{id}/stamp', ['contract.stamp']),
  rule('POST', '/api/v1/contracts/{id}/registration', ['contract.register']),
  rule('POST', '/api/v1/contracts/{id}/amendments', ['contract.amend']),
  rule('POST', '/api/v1/contracts/{id}/cancellation', ['refund.request']),
  rule('POST', '/api/v1/contracts/{id}/cancellation/approve', ['refund.approve']),
  rule('POST', '/api/v1/contracts/{id}/cancellation/reject', ['refund.approve']),
  rule('POST', '/api/v1/contracts/{id}/handover', ['handover.manage']),
  rule('POST', '/api/v1/contracts/{id}/handover/approve', ['handover.confirm']),
  rule('POST', '/api/v1/contracts/{id}/handover/reject', ['handover.confirm']),
  rule('POST', '/api/v1/area-settlements/{id}/choice', ['title.manage']),
  rule('POST', '/api/v1/area-settlements/{id}/agreement', ['title.manage']),
  rule('POST', '/api/v1/area-settlements/{id}/invoice', ['title.manage', 'payment.collect']),
  rule('GET', '/api/v1/contracts/handover-eligible', contractRead),
  rule('GET', '/api/v1/contracts/early-handover', contractRead),
  rule('GET', '/api/v1/contracts/handover-to-confirm', contractRead),
  rule('GET', '/api/v1/contracts/handed-over', contractRead),
  rule('GET', '/api/v1/contracts/awaiting-audit', contractRead),
  rule('GET', '/api/v1/contracts', contractRead),
  rule('GET', '/api/v1/contracts/awaiting-registration', contractRead),
  rule('PATCH', '/api/v1/projects/{id}/contract-settings', ['contract.settings']),
  rule('GET', '/api/v1/mortgages', mortgageRead),
  rule('GET', '/api/v1/mortgages/{id}', mortgageRead),
  rule('POST', '/api/v1/mortgages/{id}/loan', ['mortgage.manage']),
  rule('POST', '/api/v1/mortgages/{id}/documents', ['mortgage.manage', 'mortgage.documents']),
  rule('POST', '/api/v1/mortgages/{id}/submit', ['mortgage.manage']),
  rule('POST', '/api/v1/mortgages/{id}/approve', ['mortgage.manage']),
  rule('POST', '/api/v1/mortgages/{id}/refuse', ['mortgage.manage']),
  rule('POST', '/api/v1/mortgages/{id}/registration', ['mortgage.manage']),
  rule('GET', '/api/v1/projects/{id}/mortgage-settings', mortgageRead),
  rule('PATCH', '/api/v1/projects/{id}/mortgage-settings', ['contract.settings']),
  rule('POST', '/api/v1/customers', customerManage),
  rule('GET', '/api/v1/customers', customerRead),
  rule('GET', '/api/v1/customers/{id}', customerRead),
  rule('GET', '/api/v1/customers:lookup', [...customerRead, 'referral.confirm', 'referral.redeem']),
  rule('PATCH', '/api/v1/customers/{id}', customerManage),
  rule('POST', '/api/v1/customers/{id}/stage', customerManage),
  rule('POST', '/api/v1/customers/{id}/events', customerRead),
  rule('GET', '/api/v1/customers/{id}/events', customerRead),
  rule('POST', '/api/v1/customers/{id}/corrections', customerManage),
  rule('GET', '/api/v1/customers/{id}/corrections', customerManage),
  rule('GET', '/api/v1/customers/{id}/pii-access', customerManager),
  rule('POST', '/api/v1/customers/{id}/reassign', customerManager),
  rule('POST', '/api/v1/customers/{id}/complaints', customerRead),
  rule('GET', '/api/v1/complaints', customerRead),
  rule('GET', '/api/v1/complaints/{id}', customerRead),
  rule('POST', '/api/v1/complaints/{id}/respond', ['customer.complaint']),
  rule('POST', '/api/v1/complaints/{id}/resolve', ['customer.complaint']),
  rule('GET', '/api/v1/collisions', customerManager),
  rule('POST', '/api/v1/collisions/{id}/confirm', customerManager),
  rule('POST', '/api/v1/collisions/{id}/reassign', customerManager),
  rule('GET', '/api/v1/customers:stale', customerManager),
  rule('GET', '/api/v1/reps/{rep_id}/tasks', customerManage),
  rule('POST', '/api/v1/departures', customerManager),
  rule('GET', '/api/v1/departures', customerManager),
  rule('POST', '/api/v1/departures/{id}/reassign', customerManager),
  rule('GET', '/api/v1/deals', ['customer.reassign', 'report.read']),
  rule('GET', '/api/v1/deals/{id}/commission', ['customer.manage', 'report.read']),
  rule('POST', '/api/v1/deals/{id}/commission-exception', customerManager),
  rule('GET', '/api/v1/projects/{id}/customer-settings', ['customer.manage', 'customer.settings']),
  rule('PATCH', '/api/v1/projects/{id}/customer-settings', ['customer.settings']),
  rule('GET', '/api/v1/customers:export', ['customer.export']),
  rule('POST', '/api/v1/customers:archive', ['customer.archive']),
  rule('GET', '/api/v1/reports/contacts', ['report.read']),
  rule('POST', '/api/v1/payments', ['payment.collect']),
  rule('POST', '/api/v1/entries/{id}/reverse', ['payment.collect']),
  rule('POST', '/api/v1/refund-approvals', ['refund.approve']),
  rule('GET', '/api/v1/refund-approvals', ['payment.collect', 'finance.reconcile', 'refund.approve']),
  rule('GET', '/api/v1/referrals', referralRead),
  rule('POST', '/api/v1/referrals/{id}/confirm', ['referral.confirm']),
  rule('GET', '/api/v1/referral-points', referralRead),
  rule('POST', '/api/v1/referral-points/redemptions', ['referral.redeem']),
  rule('POST', '/api/v1/referral-points/entries/{id}/reverse', ['referral.redeem']),
  rule('POST', '/api/v1/contracts/{id}/fees', ['handover.manage']),
  rule('GET', '/api/v1/contracts/{id}/fees', ['payment.collect', 'finance.reconcile', 'report.read', 'handover.manage']),
  rule('GET', '/api/v1/entries', financeRead),
  rule('GET', '/api/v1/entries/{id}', financeRead),
  rule('GET', '/api/v1/contracts/{id}/balance', financeRead),
  rule('GET', '/api/v1/reports/receipts', financeRead),
  rule('GET', '/api/v1/reports/arrears', financeRead),
  // the reporting service's read model (seed 003 §4)
  rule('GET', '/api/v1/reports/sales', ['report.read']),
  rule('GET', '/api/v1/reports/sales-summary', ['report.read']),
  rule('GET', '/api/v1/reports/cancellations', ['report.read']),
  rule('GET', '/api/v1/reports/unit-changes', ['report.read']),
  rule('GET', '/api/v1/reports/payments', ['report.read']),
  rule('GET', '/api/v1/reports/payments-summary', ['report.read']),
  rule('GET', '/api/v1/reports/sales-control', ['report.read']),
  rule('GET', '/api/v1/reports/conversion', ['report.read']),
  rule('GET', '/api/v1/reports/mortgages', ['report.read']),
  rule('GET', '/api/v1/report-packs', ['report.read']),
  rule('POST', '/api/v1/report-packs', ['report.read']),
  rule('GET', '/api/v1/report-packs/{pack_id}', ['report.read']),
  rule('POST', '/api/v1/webhooks', ['webhook.manage']),
  rule('GET', '/api/v1/webhooks', ['webhook.manage']),
  rule('GET', '/api/v1/webhooks/{webhook_id}', ['webhook.manage']),
  rule('PATCH', '/api/v1/webhooks/{webhook_id}', ['webhook.manage']),
  rule('DELETE', '/api/v1/webhooks/{webhook_id}', ['webhook.manage']),
  rule('POST', '/api/v1/webhooks/{webhook_id}/secret', ['webhook.manage']),
  rule('GET', '/api/v1/webhooks/{webhook_id}/deliveries', ['webhook.manage']),
  rule('POST', '/api/v1/webhooks/{webhook_id}/redeliver', ['webhook.manage']),
]

/**
 * Whether the gateway lets these roles call `method pattern` (the pattern as written in
 * openapi.yaml, e.g. `POST /api/v1/subscriptions/{id}/sign`). Unknown routes: false.
 */
export function canCall(roles: readonly string[] | null | undefined, method: HttpMethod, pattern: string): boolean {
  const found = ROUTE_TABLE.find((r) => r.method === method && r.pattern === pattern)
  if (!found || !roles) return false
  return found.permissions === null || can(roles, found.permissions)
}
