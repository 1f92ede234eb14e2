import type { RouteRecordRaw } from 'vue-router'

// 楼盘表 (sales-control board): every role that reads units.
const routes: RouteRecordRaw[] = [
  {
    path: '/board',
    name: 'board',
    component: () => import('@/views/board/BoardView.vue'),
    meta: { title: '楼盘表', permission: 'unit.read', menu: { group: '销控', order: 10 } },
  },
]

export default routes
