import { expect, test, type Page } from '@playwright/test'
import {
  adminPassword,
  createUser,
  expectAccessible,
  loginAndChangePassword,
  loginAs,
  screenshot,
  strongPassword,
} from './support'

async function menuEntries(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: '主菜单' })
  await expect(nav.getByRole('link', { name: '首页' })).toBeVisible()
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim())
}

test('wrong password: the server says so on the login form', async ({ page }) => {
  // Served by the gateway, the console runs under a strict CSP: nothing may violate it.
  const cspErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text())
  })
  const user = await createUser(['sales_rep'])
  await page.goto('/login')
  await expect(page).toHaveTitle('登录 - 售楼管理系统')
  await expectAccessible(page)
  await page.getByLabel('用户名').fill(user.username)
  await page.getByLabel('密码', { exact: true }).fill('not-the-password')
  await page.getByRole('button', { name: '登录' }).click()
  const alert = page.getByTestId('login-error')
  await expect(alert).toContainText('用户名或密码错误')
  await expect(alert).toContainText('invalid username or password') // the server's message
  await expect(page).toHaveURL(/\/login/)
  await screenshot(page, 'login')
  await expectAccessible(page)
  expect(cspErrors).toEqual([])
})

test('empty fields are refused before asking the server', async ({ page }) => {
  await page.goto('/login')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByText('请输入用户名')).toBeVisible()
  await expect(page.getByText('请输入密码')).toBeVisible()
})

test('a user created by the admin must change the password first', async ({ page }) => {
  const user = await createUser(['cashier'])
  await loginAs(page, user.username, user.password)

  // Forced to /password, and nowhere else.
  await expect(page).toHaveURL(/\/password$/)
  await expect(page.getByText('请先设置新密码')).toBeVisible()
  await page.goto('/')
  await expect(page).toHaveURL(/\/password$/)
  await screenshot(page, 'password')
  await expectAccessible(page)

  // The policy is the server's: its message appears under the new password.
  await page.getByLabel('当前密码').fill(user.password)
  await page.getByLabel('新密码', { exact: true }).fill('short')
  await page.getByLabel('确认新密码').fill('short')
  await page.getByRole('button', { name: '确认修改' }).click()
  // An error that moves between fields leaves its old element fading out for a moment, so
  // each check names the message it expects.
  await expect(page.locator('.el-form-item__error', { hasText: 'password must have at least 12 characters' })).toBeVisible()
  await expect(page).toHaveURL(/\/password$/)

  // A wrong current password is refused too, next to the action.
  const next = strongPassword()
  await page.getByLabel('当前密码').fill('wrong-current-password')
  await page.getByLabel('新密码', { exact: true }).fill(next)
  await page.getByLabel('确认新密码').fill(next)
  await page.getByRole('button', { name: '确认修改' }).click()
  await expect(page.locator('.el-form-item__error', { hasText: '当前密码不正确' })).toContainText('invalid username or password')
  await expect(page).toHaveURL(/\/password$/) // still logged in

  await page.getByLabel('当前密码').fill(user.password)
  await page.getByRole('button', { name: '确认修改' }).click()
  await expect(page.getByText('密码已修改')).toBeVisible()
  await page.getByRole('button', { name: '返回首页' }).click()

  // Home: welcome, the user's role, the header.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`欢迎，${user.username}`)
  await expect(page.getByTestId('current-user')).toHaveText(user.username)
  await expect(page.locator('.home .role')).toHaveText(['收款员'])
  await menuEntries(page)
  await screenshot(page, 'home')
  await expectAccessible(page)
})

test('a user sees only the menu of their roles', async ({ page, browser }) => {
  const user = await createUser(['cashier'])
  await loginAndChangePassword(page, user)
  const mine = await menuEntries(page)

  // Every menu entry opens (none leads to the 403 page) …
  for (const name of mine) {
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true }).click()
    await expect(page.getByText('403 无权访问')).toHaveCount(0)
  }
  // … and the admin's menu holds everything the cashier's does, and more when there is more.
  const adminContext = await browser.newContext()
  const adminPage = await adminContext.newPage()
  await loginAs(adminPage, 'admin', adminPassword())
  const all = await menuEntries(adminPage)
  await adminContext.close()
  expect(all).toEqual(expect.arrayContaining(mine))
  if (all.length > 1) expect(mine.length).toBeLessThan(all.length)
})

test('an unknown page says 404, a page of another role says 403', async ({ page }) => {
  const user = await createUser(['executive'])
  await loginAndChangePassword(page, user)
  await page.goto('/no/such/page')
  await expect(page.getByText('404 页面不存在')).toBeVisible()
  await page.goto('/403?from=/admin')
  await expect(page.getByText('403 无权访问')).toBeVisible()
})

test('logout returns to /login and the back button shows no data', async ({ page }) => {
  const user = await createUser(['sales_rep'])
  await loginAndChangePassword(page, user)
  await expect(page.getByTestId('current-user')).toHaveText(user.username)

  await page.getByRole('button', { name: '退出' }).click()
  await expect(page).toHaveURL(/\/login/)
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible()

  await page.goBack()
  await expect(page).toHaveURL(/\/login/)
  await expect(page.getByText(`欢迎，${user.username}`)).toHaveCount(0)
  await expect(page.getByTestId('current-user')).toHaveCount(0)

  // The session is gone for good: a reload does not bring it back.
  await page.goto('/')
  await expect(page).toHaveURL(/\/login/)
  expect(await page.evaluate(() => sessionStorage.getItem('sales.refresh_token'))).toBeNull()
})

test('a reload keeps the session in the tab (refresh token), a new browser does not', async ({ page, browser }) => {
  const user = await createUser(['sales_rep'])
  await loginAndChangePassword(page, user)
  await page.reload()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`欢迎，${user.username}`)

  const other = await browser.newContext()
  const otherPage = await other.newPage()
  await otherPage.goto('/')
  await expect(otherPage).toHaveURL(/\/login/)
  await other.close()
})
