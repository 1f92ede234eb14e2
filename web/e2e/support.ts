// Shared helpers for the browser tests. Everything goes through the gateway (baseURL), like a
// user: the API for setting up data (as admin), the console's pages for what is tested.
import { readFileSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, request, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

export const baseURL = process.env.SALES_CONSOLE_URL ?? 'http://127.0.0.1:8080'
const screensDir = fileURLToPath(new URL('../test-results/screens/', import.meta.url))

/** A short suffix unique to this run and call, valid in usernames ([a-z0-9._-]). */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`
}

export function adminPassword(): string {
  if (process.env.SALES_ADMIN_PASSWORD) return process.env.SALES_ADMIN_PASSWORD
  const file = process.env.SALES_ADMIN_PASSWORD_FILE ?? fileURLToPath(new URL('../../.run/local/admin.password', import.meta.url))
  return readFileSync(file, 'utf8').trim()
}

/** A password the policy accepts (≥ 12 characters, three classes, not the username). */
export function strongPassword(): string {
  return `Pw-${Math.random().toString(36).slice(2, 10)}-${Date.now() % 100000}X`
}

export interface Api {
  ctx: APIRequestContext
  token: string
  get<T = unknown>(path: string): Promise<T>
  post<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>
}

async function apiAs(username: string, password: string): Promise<Api> {
  const ctx = await request.newContext({ baseURL })
  let res = await ctx.post('/api/v1/auth/login', { data: { username, password } })
  // 429 login_busy: the gateway's password workers are all busy; it says when to come back.
  for (let attempt = 0; res.status() === 429 && attempt < 10; attempt++) {
    const wait = Number(res.headers()['retry-after'] ?? '1')
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 5) * 1000))
    res = await ctx.post('/api/v1/auth/login', { data: { username, password } })
  }
  expect(res.status(), `login ${username}: ${await res.text()}`).toBe(200)
  const token = ((await res.json()) as { access_token: string }).access_token
  const auth = { Authorization: `Bearer ${token}` }
  return {
    ctx,
    token,
    async get<T>(path: string): Promise<T> {
      const r = await ctx.get(path, { headers: auth })
      expect(r.ok(), `GET ${path}: ${r.status()} ${await r.text()}`).toBe(true)
      return (await r.json()) as T
    },
    async post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
      const r = await ctx.post(path, { data: body, headers: { ...auth, ...headers } })
      expect(r.ok(), `POST ${path}: ${r.status()} ${await r.text()}`).toBe(true)
      return (await r.json()) as T
    },
  }
}

let admin: Promise<Api> | null = null
let adminSince = 0
/** The administrator's API session (logged in once per worker and again every 10 minutes:
 *  logins are throttled and access tokens live 15 minutes). */
export function adminApi(): Promise<Api> {
  if (admin === null || Date.now() - adminSince > 10 * 60_000) {
    admin = apiAs('admin', adminPassword())
    adminSince = Date.now()
  }
  return admin
}

/** Any user's API session (e.g. to prepare data as a sales rep). */
export function userApi(username: string, password: string): Promise<Api> {
  return apiAs(username, password)
}

export interface TestUser {
  id: string
  username: string
  password: string
  roles: string[]
  projectIds: string[]
}

/** The first project the admin sees (demo data), or throws: tests need one. */
export async function someProjectId(): Promise<string> {
  const api = await adminApi()
  const page = await api.get<{ items: { id: string }[] }>('/api/v1/projects?limit=50')
  const first = page.items[0]
  if (!first) throw new Error('no project in the stack: run deploy/local/up.sh with demo data')
  return first.id
}

/**
 * Creates a user through POST /api/v1/users (as admin). Its password is the admin-set initial
 * one: the user must change it at first login (must_change_password).
 */
export async function createUser(
  roles: string[],
  options: { projectIds?: string[]; prefix?: string; displayName?: string } = {},
): Promise<TestUser> {
  const api = await adminApi()
  const projectIds = options.projectIds ?? [await someProjectId()]
  const username = `${options.prefix ?? 'e2e'}-${uniqueSuffix()}`
  const password = strongPassword()
  const user = await api.post<{ id: string }>('/api/v1/users', {
    username,
    display_name: options.displayName ?? `测试用户 ${username}`,
    password,
    roles,
    project_ids: projectIds,
  })
  return { id: user.id, username, password, roles, projectIds }
}

/** Logs in through the login form; waits until the console has left /login. */
export async function loginAs(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page).not.toHaveURL(/\/login/)
}

/**
 * Logs in a freshly created user and completes the forced password change, leaving the page
 * on the home screen. Returns the new password.
 */
export async function loginAndChangePassword(page: Page, user: TestUser): Promise<string> {
  await loginAs(page, user.username, user.password)
  await expect(page).toHaveURL(/\/password$/)
  const next = strongPassword()
  await page.getByLabel('当前密码').fill(user.password)
  await page.getByLabel('新密码', { exact: true }).fill(next)
  await page.getByLabel('确认新密码').fill(next)
  await page.getByRole('button', { name: '确认修改' }).click()
  await expect(page.getByText('密码已修改')).toBeVisible()
  await page.getByRole('button', { name: '返回首页' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('欢迎')
  user.password = next
  return next
}

/**
 * Opens an Element Plus select and picks options. The click goes to the select's visible box (the
 * placeholder covers the input) and waits until nothing covers it, such as a closing dialog; the
 * box is clicked again until the list is open, because a click during a re-render can be lost.
 */
export async function pickOption(page: Page, combobox: Locator, ...options: (string | RegExp)[]): Promise<void> {
  const box = combobox.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " el-select__wrapper ")][1]')
  await expect(async () => {
    if ((await combobox.getAttribute('aria-expanded')) !== 'true') await box.click({ timeout: 5_000 })
    await expect(combobox).toHaveAttribute('aria-expanded', 'true', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  for (const name of options) {
    await page.getByRole('option', typeof name === 'string' ? { name, exact: true } : { name }).click()
  }
}

/** Checks an Element Plus radio (its input is hidden; its label takes the click). */
export async function checkRadio(radio: Locator): Promise<void> {
  await radio.locator('xpath=ancestor::label[1]').click()
  await expect(radio).toBeChecked()
}

/** Full-page screenshot into test-results/screens/<name>.png (look at it!). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true })
  await page.screenshot({ path: `${screensDir}${name}.png`, fullPage: true })
}

/** axe (WCAG 2.1 A/AA): no serious or critical violations; prints them when there are. */
export async function expectAccessible(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  // A message fading in or out is half transparent, and a dropdown still closing is judged as
  // if it were open (a scrollable list without focus): both are judged at rest.
  await expect(
    page.locator(
      '.el-message-fade-enter-active, .el-message-fade-leave-active, .el-zoom-in-top-enter-active, .el-zoom-in-top-leave-active',
    ),
  ).toHaveCount(0)
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector)
  const results = await builder.analyze()
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const report = bad
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
          .join('\n'),
    )
    .join('\n')
  expect(bad, `accessibility violations on ${page.url()}:\n${report}`).toEqual([])
}
