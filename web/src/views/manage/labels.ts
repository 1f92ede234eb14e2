// zh-CN wording of the manager/admin screens: enum values of the API, permissions and role
// duties (DOMAIN.md "Roles"), audit routes.
import type { Permission, Role } from '@/utils/permissions'

type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger'

export const COMPLAINT_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  quality: '工程质量',
  delivery: '交付',
  service: '服务',
  contract: '合同',
  payment: '付款',
  property: '物业',
  other: '其他',
}

export const COMPLAINT_STATUS: Readonly<Record<string, { label: string; type: TagType }>> = {
  open: { label: '待回复', type: 'warning' },
  responded: { label: '已回复', type: 'primary' },
  resolved: { label: '已办结', type: 'success' },
}

export const COLLISION_STATUS: Readonly<Record<string, { label: string; type: TagType }>> = {
  open: { label: '待处理', type: 'warning' },
  confirmed: { label: '维持原归属', type: 'info' },
  reassigned: { label: '已改派', type: 'success' },
}

export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  visit: '来访',
  call: '来电',
  online: '网络',
  referral: '转介',
  event: '活动',
}

export const STAGE_LABELS: Readonly<Record<string, string>> = {
  potential: '潜在',
  intent: '意向',
  prospect: '准客户',
  closed: '成交',
}

export const OUTCOME: Readonly<Record<string, { label: string; type: TagType }>> = {
  succeeded: { label: '成功', type: 'success' },
  rejected: { label: '被拒绝', type: 'warning' },
  denied: { label: '无权限', type: 'danger' },
  failed: { label: '失败', type: 'danger' },
}

export function label(map: Readonly<Record<string, string>>, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  return map[value] ?? value
}

/** What each role does (DOMAIN.md, Roles 岗位). */
export const ROLE_DUTIES: Readonly<Record<Role, string>> = {
  admin: '账号、角色、项目创建、主数据锁定、监控（集团/区域级）',
  operator: '项目初始化：楼栋、房间、价目表、付款方式、折扣',
  sales_rep: '客户及其跟进事件、认购、合同草稿、按揭资料',
  sales_control: '预留、销控（不可售）、认购、换房、更名、退房',
  sales_supervisor: '合同初审、特殊业务、更名/换房',
  sales_manager: '合同二审、客户改派、开盘首周预留、报表',
  cashier: '收款、收据、按审批退款、确认会员积分申请',
  finance_supervisor: '合同复核、价目表核定、会员积分兑换',
  finance_director: '合同复核、退款审批、价目表核定',
  gm: '审批（延期签约、特殊折扣）、合同盖章',
  mortgage_clerk: '按揭流程：资料、送审银行、审批、抵押登记、放款跟踪',
  handover_clerk: '交房、面积补差、产权',
  sales_service: '交房、面积补差、产权、客户投诉',
  executive: '只读报表',
}

export interface PermissionGroup {
  title: string
  permissions: { key: Permission; label: string }[]
}

/** Every permission of utils/permissions, grouped by business area, in zh-CN. */
export const PERMISSION_GROUPS: readonly PermissionGroup[] = [
  {
    title: '项目与房源',
    permissions: [
      { key: 'project.manage', label: '创建项目、修改项目设置' },
      { key: 'unit.manage', label: '维护楼栋与房间' },
      { key: 'unit.read', label: '查看楼盘表与房源' },
      { key: 'unit.reserve', label: '预留房源' },
      { key: 'unit.release', label: '推盘 / 销控房源' },
      { key: 'price_list.manage', label: '编制价目表' },
      { key: 'price_list.approve', label: '核定价目表' },
      { key: 'change_request.approve', label: '审批主数据变更' },
    ],
  },
  {
    title: '客户',
    permissions: [
      { key: 'customer.manage', label: '登记与跟进客户' },
      { key: 'customer.complaint', label: '处理客户投诉' },
      { key: 'customer.pii.read', label: '查看客户完整个人信息（留痕）' },
      { key: 'customer.reassign', label: '撞单处理、客户改派、离职交接' },
      { key: 'customer.export', label: '导出客户（脱敏）' },
      { key: 'customer.archive', label: '归档不活跃客户' },
      { key: 'customer.settings', label: '客户管理参数' },
    ],
  },
  {
    title: '认购',
    permissions: [
      { key: 'subscription.create', label: '录入认购' },
      { key: 'subscription.read', label: '查看认购与合同' },
      { key: 'subscription.change', label: '更名 / 换房' },
      { key: 'subscription.cancel', label: '退房申请' },
      { key: 'refund.request', label: '提交退款申请' },
      { key: 'refund.approve', label: '审批退款' },
    ],
  },
  {
    title: '合同',
    permissions: [
      { key: 'contract.sign', label: '签约' },
      { key: 'contract.audit', label: '合同审核（销售）' },
      { key: 'contract.review', label: '合同复核（财务）' },
      { key: 'contract.amend', label: '合同变更' },
      { key: 'contract.register', label: '网签备案' },
      { key: 'contract.settings', label: '合同参数' },
      { key: 'contract.stamp', label: '合同盖章' },
      { key: 'contract.approve_discount', label: '审批特殊优惠' },
      { key: 'contract.approve_late', label: '审批延期签约' },
      { key: 'approval.request', label: '提交审批申请' },
      { key: 'handover.manage', label: '交房办理' },
      { key: 'handover.confirm', label: '交房确认' },
      { key: 'handover.approve_early', label: '审批提前交房' },
      { key: 'title.manage', label: '产权与面积补差' },
      { key: 'mortgage.manage', label: '按揭办理' },
      { key: 'mortgage.documents', label: '收取按揭资料' },
    ],
  },
  {
    title: '财务与报表',
    permissions: [
      { key: 'payment.collect', label: '收款、红冲' },
      { key: 'finance.reconcile', label: '对账' },
      { key: 'referral.confirm', label: '确认会员积分申请' },
      { key: 'referral.redeem', label: '会员积分兑换' },
      { key: 'report.read', label: '查看报表' },
    ],
  },
  {
    title: '系统',
    permissions: [
      { key: 'user.manage', label: '用户管理' },
      { key: 'audit.read', label: '查看审计日志' },
    ],
  },
]

/** zh-CN names of the routes an administrator meets most in the audit log. */
const ROUTE_LABELS: Readonly<Record<string, string>> = {
  'POST /api/v1/auth/login': '登录',
  'POST /api/v1/auth/logout': '退出登录',
  'POST /api/v1/auth/refresh': '刷新令牌',
  'POST /api/v1/auth/password': '修改密码',
  'POST /api/v1/users': '创建用户',
  'POST /api/v1/users/{user_id}/disable': '停用用户',
  'POST /api/v1/users/{user_id}/enable': '启用用户',
  'POST /api/v1/users/{user_id}/password': '重置密码',
  'POST /api/v1/projects': '创建项目',
  'PATCH /api/v1/projects/{project_id}/settings': '修改项目设置',
  'POST /api/v1/customers': '登记客户',
  'POST /api/v1/customers/{id}/reassign': '改派客户',
  'POST /api/v1/collisions/{id}/confirm': '撞单维持原归属',
  'POST /api/v1/collisions/{id}/reassign': '撞单改派',
  'POST /api/v1/subscriptions': '录入认购',
  'POST /api/v1/payments': '登记收款',
}

export function routeLabel(method: string | undefined, route: string | undefined): string {
  return ROUTE_LABELS[`${method ?? ''} ${route ?? ''}`] ?? ''
}
