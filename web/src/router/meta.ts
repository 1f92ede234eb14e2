import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router'
import { can, canCall, type HttpMethod, type Permission, type Role } from '@/utils/permissions'

export const MENU_GROUPS = ['销售', '销控', '财务', '合同', '管理', '系统'] as const
export type MenuGroup = (typeof MENU_GROUPS)[number]

declare module 'vue-router' {
  interface RouteMeta {
    /** zh-CN page title (browser tab, menu, breadcrumb) */
    title?: string
    /**
     * Roles allowed to open the page; absent = every logged-in user. `admin` may open every
     * page (it holds every permission at the gateway).
     */
    roles?: readonly Role[]
    /** alternatively (or as well): a permission any of the user's roles must grant */
    permission?: Permission | readonly Permission[]
    /**
     * and/or: an API route the screen is built on, as openapi.yaml writes it; the user must be
     * allowed to call it (canCall: the gateway's route table), e.g.
     * `{ method: 'GET', path: '/api/v1/reports/sales' }`
     */
    call?: { method: HttpMethod; path: string }
    /** show in the side menu under this group, sorted by order */
    menu?: { group: MenuGroup; order: number }
    /** reachable without logging in (login page) */
    public?: boolean
    /** 'none': rendered without the layout (no menu/header), e.g. full-page print views */
    layout?: 'none'
  }
}

/** Whether a user with these roles may open a route with this meta. */
export function allowedFor(meta: RouteLocationNormalized['meta'] | RouteRecordRaw['meta'], roles: readonly string[]): boolean {
  if (!meta) return true
  if (roles.includes('admin')) return true
  if (meta.roles && !meta.roles.some((r) => roles.includes(r))) return false
  if (meta.permission && !can(roles, meta.permission)) return false
  if (meta.call && !canCall(roles, meta.call.method, meta.call.path)) return false
  return true
}
