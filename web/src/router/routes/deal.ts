import type { RouteRecordRaw } from 'vue-router'

// Deal area: cashier (收款, 当日收据/红冲, 退款), contract desk (合同查询, 待签约, 签约, 合同, 审核队列,
// 待备案, 可交房), the mortgage desk (按揭), GM approvals, and the print views (认购书, 收据, 合同摘要)
// without the layout.
// Permissions mirror the gateway's route table (src/utils/permissions.ts).
const routes: RouteRecordRaw[] = [
  {
    path: '/payments/new',
    name: 'payment-new',
    component: () => import('@/views/deal/PaymentNewView.vue'),
    meta: { title: '登记收款', permission: 'payment.collect', menu: { group: '财务', order: 10 } },
  },
  {
    path: '/receipts',
    name: 'receipts',
    component: () => import('@/views/deal/ReceiptsView.vue'),
    meta: {
      title: '当日收据',
      permission: ['payment.collect', 'finance.reconcile', 'report.read'],
      menu: { group: '财务', order: 20 },
    },
  },
  {
    path: '/refunds',
    name: 'refunds',
    component: () => import('@/views/deal/RefundsView.vue'),
    meta: { title: '退款', permission: ['payment.collect', 'refund.approve'], menu: { group: '财务', order: 30 } },
  },
  {
    // CON-11 会员积分: the cashier confirms applications, finance redeems points.
    path: '/referrals',
    name: 'referrals',
    component: () => import('@/views/deal/ReferralsView.vue'),
    meta: {
      title: '会员积分',
      permission: ['referral.confirm', 'referral.redeem', 'finance.reconcile', 'report.read'],
      menu: { group: '财务', order: 40 },
    },
  },
  {
    path: '/contracts/to-sign',
    name: 'contracts-to-sign',
    component: () => import('@/views/deal/ToSignView.vue'),
    meta: { title: '待签约', permission: 'contract.sign', menu: { group: '合同', order: 10 } },
  },
  {
    path: '/subscriptions/:id/sign',
    name: 'subscription-sign',
    component: () => import('@/views/deal/SignView.vue'),
    meta: { title: '签约', permission: 'contract.sign' },
  },
  {
    path: '/contracts/audit',
    name: 'contracts-audit',
    component: () => import('@/views/deal/AuditQueueView.vue'),
    meta: { title: '审核队列', permission: ['contract.audit', 'contract.review'], menu: { group: '合同', order: 20 } },
  },
  {
    path: '/approvals',
    name: 'approvals',
    component: () => import('@/views/deal/ApprovalsView.vue'),
    meta: {
      title: '审批',
      permission: [
        'contract.approve_discount',
        'contract.approve_late',
        'handover.approve_early',
        'approval.request',
        'handover.manage',
      ],
      menu: { group: '合同', order: 30 },
    },
  },
  {
    path: '/contracts/handover',
    name: 'contracts-handover',
    component: () => import('@/views/deal/HandoverListView.vue'),
    meta: { title: '可交房', permission: ['subscription.read', 'handover.manage'], menu: { group: '合同', order: 40 } },
  },
  {
    // 合同查询: every contract the caller may read, by project, building, status, dates, rep, plan, buyer.
    path: '/contracts/search',
    name: 'contracts-search',
    component: () => import('@/views/deal/ContractSearchView.vue'),
    meta: { title: '合同查询', permission: ['subscription.read', 'handover.manage'], menu: { group: '合同', order: 5 } },
  },
  {
    // CON-7: stamped contracts awaiting registration 网签备案, due first.
    path: '/contracts/awaiting-registration',
    name: 'contracts-awaiting-registration',
    component: () => import('@/views/deal/AwaitingRegistrationView.vue'),
    meta: { title: '待备案', permission: ['subscription.read', 'handover.manage'], menu: { group: '合同', order: 25 } },
  },
  {
    // CON-10: surveyed title areas, recorded by the handover clerk and checked by the sales manager.
    path: '/title-areas',
    name: 'title-areas',
    component: () => import('@/views/deal/TitleAreasView.vue'),
    meta: { title: '产权面积', permission: ['title.manage', 'title.approve'], menu: { group: '合同', order: 50 } },
  },
  {
    // CON-8: the mortgage desk 按揭 — the clerk's list and files; reps record documents.
    path: '/mortgages',
    name: 'mortgages',
    component: () => import('@/views/deal/MortgagesView.vue'),
    meta: {
      title: '按揭',
      permission: ['mortgage.manage', 'mortgage.documents', 'report.read'],
      menu: { group: '合同', order: 45 },
    },
  },
  {
    path: '/mortgages/:id',
    name: 'mortgage',
    component: () => import('@/views/deal/MortgageView.vue'),
    meta: { title: '按揭档案', permission: ['mortgage.manage', 'mortgage.documents', 'report.read'] },
  },
  {
    path: '/contracts/:id',
    name: 'contract',
    component: () => import('@/views/deal/ContractView.vue'),
    meta: { title: '合同', permission: ['subscription.read', 'handover.manage'] },
  },
  {
    path: '/print/subscription/:id',
    name: 'print-subscription',
    component: () => import('@/views/deal/PrintSubscriptionView.vue'),
    meta: { title: '认购书', permission: 'subscription.read', layout: 'none' },
  },
  {
    path: '/print/receipt/:entryId',
    name: 'print-receipt',
    component: () => import('@/views/deal/PrintReceiptView.vue'),
    meta: { title: '收据', permission: ['payment.collect', 'finance.reconcile', 'report.read'], layout: 'none' },
  },
  {
    path: '/print/contract/:id',
    name: 'print-contract',
    component: () => import('@/views/deal/PrintContractView.vue'),
    meta: { title: '合同摘要', permission: ['subscription.read', 'handover.manage'], layout: 'none' },
  },
]

export default routes
