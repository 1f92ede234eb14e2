// 事件订阅: the administrator subscribes another department's endpoint to a project's unit status
// changes. The endpoint given here refuses the deliveries (it is the gateway itself, which answers
// a POST to an unknown path with a 4xx), so the first event becomes a dead letter: the screen
// shows it with the receiver's answer, sends it again by hand, pauses and removes the subscription.
import { expect, test, type Page } from '@playwright/test'
import { adminApi, adminPassword, baseURL, expectAccessible, loginAs, pickOption, screenshot, userApi } from './support'
import { activeUser, releasedProject, switchUser } from './deal-fixtures'

async function refreshUntil(page: Page, check: () => Promise<void>): Promise<void> {
  await expect(async () => {
    await page.getByRole('button', { name: '刷新', exact: true }).first().click()
    await check()
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000] })
}

test('an administrator subscribes a department, sees a refused delivery as a dead letter and sends it again', async ({ page }) => {
  test.setTimeout(180_000)
  const project = await releasedProject()
  const name = `物业对接 ${project.code}`

  await loginAs(page, 'admin', adminPassword())
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '事件订阅', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('事件订阅')

  // A subscription needs a name, an http URL and at least one subject.
  await page.getByRole('button', { name: '新建订阅' }).click()
  const dialog = page.getByRole('dialog', { name: '新建事件订阅' })
  await dialog.getByLabel('接收地址').fill('https://pm.example/hook')
  await dialog.getByRole('button', { name: '创建' }).click()
  await expect(dialog.getByText('请输入订阅名称')).toBeVisible()
  await expect(dialog.getByText('以 http:// 开头的地址')).toBeVisible()
  await expect(dialog.getByText('至少选择一类事件')).toBeVisible()

  await dialog.getByLabel('名称').fill(name)
  await dialog.getByLabel('接收地址').fill(`${baseURL}/department-sink/events`)
  await pickOption(page, dialog.getByRole('combobox', { name: '订阅的事件' }), '房源状态变更（inventory.unit.status_changed）')
  await page.keyboard.press('Escape')
  // Preset to the current project, which need not be this one: only this one.
  const projectsBox = dialog.getByRole('combobox', { name: '限定项目' })
  const chosen = projectsBox.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " el-select__wrapper ")][1]').locator('.el-tag__close')
  while ((await chosen.count()) > 0) await chosen.first().click()
  await pickOption(page, projectsBox, new RegExp(project.code))
  await page.keyboard.press('Escape')
  await dialog.getByRole('button', { name: '创建' }).click()

  // The secret, shown this once.
  const secretDialog = page.getByRole('dialog', { name: `「${name}」的签名密钥` })
  await expect(secretDialog).toBeVisible()
  await expect(secretDialog.getByLabel('签名密钥')).toHaveValue(/^[A-Za-z0-9_-]{40,}$/)
  await screenshot(page, 'webhooks-secret')
  await secretDialog.getByRole('button', { name: '我已保存' }).click()
  await expect(secretDialog).toBeHidden()

  const row = page.getByRole('row', { name: new RegExp(name) })
  await expect(row).toContainText('房源状态变更')
  await expect(row).toContainText(project.code)
  await expect(row).toContainText('启用')

  // An event of the project: a unit withdrawn from sale.
  const api = await adminApi()
  await api.post('/api/v1/units:withdraw', { unit_ids: [project.units[0]!.id], reason: '样板间' })

  // The receiver refuses it: a dead letter at once, with the receiver's answer.
  await refreshUntil(page, () => expect(row.getByRole('button', { name: /死信 1 条/ })).toBeVisible({ timeout: 2_000 }))
  await row.getByRole('button', { name: /死信 1 条/ }).click()
  const drawer = page.getByRole('dialog', { name: `投递记录：${name}` })
  await expect(drawer).toBeVisible()
  const dead = drawer.getByRole('row', { name: /房源状态变更/ })
  await expect(dead).toHaveCount(1)
  await expect(dead).toContainText('死信')
  await expect(dead).toContainText(/HTTP 4\d\d/)
  await expect(dead).toContainText(project.units[0]!.id)
  await page.mouse.move(1, 799)
  await expectAccessible(page)
  await screenshot(page, 'webhooks-dead-letter')

  // Sent again by hand (the receiver refuses it again: it is back among the dead letters).
  await drawer.getByRole('button', { name: '全部死信重新投递（1）' }).click()
  await expect(drawer.getByText('已重新投递 1 条死信')).toBeVisible()
  await expect(async () => {
    await drawer.getByRole('button', { name: '刷新', exact: true }).click()
    await expect(dead).toContainText('死信', { timeout: 2_000 })
    await expect(dead.getByRole('cell').nth(3)).toHaveText('1', { timeout: 2_000 })
  }).toPass({ timeout: 30_000 })
  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()

  // Paused, then removed.
  await row.getByRole('button', { name: '暂停' }).click()
  await expect(row).toContainText('已暂停')
  await screenshot(page, 'webhooks-list')
  await expectAccessible(page)
  await row.getByRole('button', { name: '删除' }).click()
  await page.getByRole('dialog', { name: '删除订阅' }).getByRole('button', { name: '删除' }).click()
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0)
})

test('a sales manager has no 事件订阅: no menu entry, the page is refused, the API answers 403', async ({ page }) => {
  const project = await releasedProject()
  const manager = await activeUser(['sales_manager'], project.projectId)
  await switchUser(page, manager)
  const entries = (await page.getByRole('navigation', { name: '主菜单' }).getByRole('link').allInnerTexts()).map((t) => t.trim())
  expect(entries).toContain('经营报表')
  expect(entries).not.toContain('事件订阅')
  await page.goto('/admin/webhooks')
  await expect(page).toHaveURL(/\/403/)
  const api = await userApi(manager.username, manager.password)
  const r = await api.ctx.get('/api/v1/webhooks', { headers: { Authorization: `Bearer ${api.token}` } })
  expect(r.status()).toBe(403)
})
