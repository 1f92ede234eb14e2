import type { RouteRecordRaw } from 'vue-router'

// The console's own pages. Other areas add one file next to this one
// (src/router/routes/<area>.ts) with their routes; index.ts picks it up.
const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/core/LoginView.vue'),
    meta: { title: '登录', public: true, layout: 'none' },
  },
  {
    path: '/',
    name: 'home',
    component: () => import('@/views/core/HomeView.vue'),
    meta: { title: '首页' },
  },
  {
    path: '/password',
    name: 'password',
    component: () => import('@/views/core/PasswordView.vue'),
    meta: { title: '修改密码' },
  },
  {
    path: '/403',
    name: 'forbidden',
    component: () => import('@/views/core/ForbiddenView.vue'),
    meta: { title: '无权访问' },
  },
]

export default routes
