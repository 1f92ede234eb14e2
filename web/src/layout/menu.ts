import type { RouteRecordRaw } from 'vue-router'
import { allowedFor, MENU_GROUPS, menuRoutes, type MenuGroup } from '@/router'

export interface MenuEntry {
  path: string
  title: string
  order: number
}

export interface MenuSection {
  group: MenuGroup
  entries: MenuEntry[]
}

/** The side menu for these roles: groups in MENU_GROUPS order, entries by meta.menu.order. */
export function menuFor(roles: readonly string[], routes: readonly RouteRecordRaw[] = menuRoutes): MenuSection[] {
  return MENU_GROUPS.map((group) => ({
    group,
    entries: routes
      .filter((r) => r.meta?.menu?.group === group && allowedFor(r.meta, roles))
      .map((r) => ({ path: r.path, title: r.meta?.title ?? r.path, order: r.meta?.menu?.order ?? 0 }))
      .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title, 'zh-CN')),
  })).filter((s) => s.entries.length > 0)
}
