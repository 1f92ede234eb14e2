import type { RouteRecordRaw } from 'vue-router'

// Managers (sales_manager; executive reads reports) and administration (admin).
const routes: RouteRecordRaw[] = [
  {
    path: '/collisions',
    name: 'manage-collisions',
    component: () => import('@/views/manage/CollisionsView.vue'),
    meta: { title: '撞单处理', permission: 'customer.reassign', menu: { group: '管理', order: 10 } },
  },
  {
    path: '/customers/stale',
    name: 'manage-stale',
    component: () => import('@/views/manage/StaleCustomersView.vue'),
    meta: { title: '沉睡客户', permission: 'customer.reassign', menu: { group: '管理', order: 20 } },
  },
  {
    path: '/complaints',
    name: 'manage-complaints',
    component: () => import('@/views/manage/ComplaintsView.vue'),
    meta: {
      title: '客户投诉',
      roles: ['sales_manager', 'sales_service'],
      permission: 'customer.complaint',
      menu: { group: '管理', order: 30 },
    },
  },
  {
    path: '/reports',
    name: 'manage-reports',
    component: () => import('@/views/manage/ReportsView.vue'),
    meta: { title: '报表', permission: 'report.read', menu: { group: '管理', order: 40 } },
  },
  {
    // The reporting service's reports (销售汇总, 明细, 销控去化, 来访转化; seed 003 §4).
    path: '/reports/sales',
    name: 'manage-sales-reports',
    component: () => import('@/views/manage/SalesReportsView.vue'),
    meta: {
      title: '经营报表',
      call: { method: 'GET', path: '/api/v1/reports/sales' },
      menu: { group: '管理', order: 45 },
    },
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('@/views/manage/UsersView.vue'),
    meta: { title: '用户管理', permission: 'user.manage', menu: { group: '系统', order: 10 } },
  },
  {
    path: '/admin/roles',
    name: 'admin-roles',
    component: () => import('@/views/manage/RolesView.vue'),
    meta: { title: '角色权限', permission: 'user.manage', menu: { group: '系统', order: 20 } },
  },
  {
    path: '/admin/projects',
    name: 'admin-projects',
    component: () => import('@/views/manage/ProjectsView.vue'),
    meta: { title: '项目管理', roles: ['admin'], menu: { group: '系统', order: 30 } },
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => import('@/views/manage/AuditView.vue'),
    meta: { title: '审计日志', permission: 'audit.read', menu: { group: '系统', order: 40 } },
  },
  {
    path: '/admin/webhooks',
    name: 'admin-webhooks',
    component: () => import('@/views/manage/WebhooksView.vue'),
    meta: { title: '事件订阅', permission: 'webhook.manage', menu: { group: '系统', order: 50 } },
  },
]

export default routes
