import type { RouteRecordRaw } from 'vue-router'

// Sales rep (customers, follow-ups, tasks, subscriptions) and sales control (subscriptions
// list and changes, deposit cases 定金异常, release batches). Who may open a page follows the
// gateway's route table (utils/permissions): the permission of the main call of the page.
const routes: RouteRecordRaw[] = [
  {
    path: '/customers',
    name: 'customers',
    component: () => import('@/views/sales/CustomersView.vue'),
    meta: { title: '我的客户', permission: 'customer.manage', menu: { group: '销售', order: 10 } },
  },
  {
    path: '/customers/new',
    name: 'customer-new',
    component: () => import('@/views/sales/CustomerNewView.vue'),
    meta: { title: '新客户', permission: 'customer.manage', menu: { group: '销售', order: 20 } },
  },
  {
    path: '/customers/:id',
    name: 'customer',
    component: () => import('@/views/sales/CustomerDetailView.vue'),
    meta: { title: '客户详情', permission: ['customer.manage', 'customer.complaint'] },
  },
  {
    path: '/tasks',
    name: 'tasks',
    component: () => import('@/views/sales/TasksView.vue'),
    meta: { title: '我的任务', roles: ['sales_rep'], permission: 'customer.manage', menu: { group: '销售', order: 30 } },
  },
  {
    path: '/subscriptions/new',
    name: 'subscription-new',
    component: () => import('@/views/sales/SubscriptionNewView.vue'),
    meta: { title: '认购', permission: 'subscription.create' },
  },
  {
    path: '/subscriptions',
    name: 'subscriptions',
    component: () => import('@/views/sales/SubscriptionsView.vue'),
    meta: { title: '认购列表', permission: 'subscription.read', menu: { group: '销控', order: 20 } },
  },
  {
    path: '/subscriptions/:id',
    name: 'subscription',
    component: () => import('@/views/sales/SubscriptionView.vue'),
    meta: { title: '认购详情', permission: 'subscription.read' },
  },
  {
    // Issue 13 (CON-1 / FIN-3): deposits contract could not settle by itself.
    path: '/deposit-cases',
    name: 'deposit-cases',
    component: () => import('@/views/sales/DepositCasesView.vue'),
    meta: { title: '定金异常', permission: 'deposit_case.manage', menu: { group: '销控', order: 25 } },
  },
  {
    path: '/release',
    name: 'release',
    component: () => import('@/views/sales/ReleaseView.vue'),
    meta: { title: '开盘推盘', permission: 'unit.release', menu: { group: '销控', order: 30 } },
  },
]

export default routes
