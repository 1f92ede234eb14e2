import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { allowedFor } from './meta'

export { allowedFor, MENU_GROUPS, type MenuGroup } from './meta'

interface RouteModule {
  default?: RouteRecordRaw[]
  routes?: RouteRecordRaw[]
}

// Every src/router/routes/*.ts exports its routes (default export, or `routes`).
const modules = import.meta.glob<RouteModule>('./routes/*.ts', { eager: true })
const moduleRoutes: RouteRecordRaw[] = Object.keys(modules)
  .sort()
  .flatMap((key) => modules[key]?.default ?? modules[key]?.routes ?? [])

const bare = moduleRoutes.filter((r) => r.meta?.layout === 'none')
const inLayout = moduleRoutes.filter((r) => r.meta?.layout !== 'none')

export const routes: RouteRecordRaw[] = [
  ...bare,
  {
    path: '/',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      ...inLayout,
      {
        path: '/:pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/core/NotFoundView.vue'),
        meta: { title: '页面不存在' },
      },
    ],
  },
]

/** The routes in the side menu (for the layout and the home page). */
export const menuRoutes = inLayout.filter((r) => r.meta?.menu)

const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  await auth.restore()
  if (to.meta.public) {
    if (to.name === 'login' && auth.loggedIn) {
      return auth.mustChangePassword ? { name: 'password' } : { path: safeRedirect(to.query['redirect']) }
    }
    return true
  }
  if (!auth.loggedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if (auth.mustChangePassword && to.name !== 'password') return { name: 'password' }
  if (!allowedFor(to.meta, auth.roles)) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
})

router.afterEach((to) => {
  const title = to.meta.title
  document.title = title ? `${title} - 售楼管理系统` : '售楼管理系统'
})

/** A redirect target from the query, only ever a path inside the console. */
export function safeRedirect(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value
  if (typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/login')) return v
  return '/'
}

export default router
