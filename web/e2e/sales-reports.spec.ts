// 经营报表: the reporting service's reports (read model of the events) for the managers. The deals
// are arranged through the API in a project of their own (two signed contracts, a deposit paid, a
// first visit); a sales manager of that project reads them on the screen, sees the charts and
// downloads the sales detail as Excel. A sales rep has no such menu entry.
import { readFileSync } from 'node:fs'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { adminApi, expectAccessible, screenshot, uniqueSuffix } from './support'
import { activeUser, activeUsers, asUser, payDeposit, releasedProject, shanghaiDay, subscriptionFor, switchUser, yuan } from './deal-fixtures'

function menu(page: Page): Locator {
  return page.getByRole('navigation', { name: '主菜单' })
}

function pane(page: Page, tab: string): Locator {
  return page.getByRole('tabpanel', { name: tab })
}

async function openTab(page: Page, tab: string): Promise<Locator> {
  await page.getByRole('tab', { name: tab, exact: true }).click()
  await expect(page.getByRole('tab', { name: tab, exact: true })).toHaveAttribute('aria-selected', 'true')
  return pane(page, tab)
}

/**
 * Clicks 刷新 until `check` holds: the read model follows the events (about a second, more on a
 * loaded machine).
 */
async function refreshUntil(page: Page, check: () => Promise<void>): Promise<void> {
  await expect(async () => {
    await page.getByRole('button', { name: '刷新', exact: true }).click()
    await check()
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] })
}

/** axe with the pointer off the last clicked button (the palette's hover shades are not checked). */
async function checkA11y(page: Page): Promise<void> {
  await page.mouse.move(1, 799)
  await expectAccessible(page)
}

test('a sales manager reads the deals in 经营报表: totals, charts and the Excel download', async ({ page }) => {
  test.setTimeout(300_000)
  const project = await releasedProject()
  const users = await activeUsers(['sales_rep', 'cashier', 'sales_manager'] as const, project.projectId)
  const rep = await asUser(users.sales_rep)

  // Two deals: subscription, deposit paid (a payment), contract signed (CON-3).
  const contracts: { id: string; contract_no: string; price_fen: number }[] = []
  for (const [i, unit] of project.units.slice(0, 2).entries()) {
    const { subscription } = await subscriptionFor(users.sales_rep, project.projectId, unit.id, 'one_off')
    await payDeposit(users, subscription, `D-${project.code}-${i}`, `客户${i}`)
    contracts.push(
      await rep.post<{ id: string; contract_no: string; price_fen: number }>(`/api/v1/subscriptions/${subscription.id}/sign`, {
        plan: { kind: 'one_off', due_date: shanghaiDay(10) },
      }),
    )
  }
  // And a first contact that has not bought (yet): the funnel narrows.
  await rep.post('/api/v1/customers', {
    project_id: project.projectId,
    name: `来访客户${uniqueSuffix().slice(-4)}`,
    phone: `138${String(Date.now()).slice(-8)}`,
    channel: 'visit',
    first_event: { kind: 'visit', note: '首次来访' },
  })
  const total = contracts.reduce((sum, c) => sum + BigInt(c.price_fen), 0n)

  // The manager of the project opens 经营报表 (the only project: it is the current one).
  await switchUser(page, users.sales_manager)
  await menu(page).getByRole('link', { name: '经营报表', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('经营报表')
  await expect(page.getByRole('tab', { name: '销售汇总' })).toHaveAttribute('aria-selected', 'true')

  // 销售汇总 (by day by default): the chart and the table once the read model has the deals.
  const summary = pane(page, '销售汇总')
  await refreshUntil(page, () => expect(summary.locator('.el-table__footer-wrapper')).toContainText(yuan(total), { timeout: 2_000 }))
  await expect(summary.getByRole('img', { name: /销售汇总/ }).locator('canvas')).toBeVisible()
  await screenshot(page, 'sales-reports-summary')

  // 销售明细: one row per contract; 合计 sums the prices.
  const sales = await openTab(page, '销售明细')
  await refreshUntil(page, async () => {
    for (const c of contracts) await expect(sales.getByRole('row').filter({ hasText: c.contract_no })).toHaveCount(1, { timeout: 2_000 })
  })
  // The rep by name (GET /api/v1/staff), not by user id.
  await expect(sales.getByRole('row').filter({ hasText: contracts[0]?.contract_no ?? '' })).toContainText(`测试用户 ${users.sales_rep.username}`)
  await expect(sales).not.toContainText(users.sales_rep.id)
  const totals = sales.locator('.el-table__footer-wrapper')
  await expect(totals).toContainText('合计')
  await expect(totals).toContainText(yuan(total))
  await expect(sales.locator('.el-pagination')).toContainText('共 2 条')
  await screenshot(page, 'sales-reports-sales')
  await checkA11y(page)

  // 退房明细, 换房明细: none in this project.
  await expect(await openTab(page, '退房明细')).toContainText('该期间没有退房')
  await screenshot(page, 'sales-reports-cancellations')
  await expect(await openTab(page, '换房明细')).toContainText('该期间没有换房')
  await screenshot(page, 'sales-reports-unit-changes')

  // 收退款明细: the deposits, with the chart of 收款/退款/净收款.
  const payments = await openTab(page, '收退款明细')
  await refreshUntil(page, async () => {
    for (const i of [0, 1]) await expect(payments.getByRole('row').filter({ hasText: `D-${project.code}-${i}` })).toHaveCount(1, { timeout: 2_000 })
  })
  await expect(payments.getByRole('img', { name: /收款、退款与净收款/ }).locator('canvas')).toBeVisible()
  await screenshot(page, 'sales-reports-payments')

  // 按揭情况: one-off payments, no mortgage.
  await expect(await openTab(page, '按揭情况')).toContainText('该期间没有按揭')
  await screenshot(page, 'sales-reports-mortgages')

  // 销控去化: 2 of the 4 units sold = 50.00%, and the two charts.
  const control = await openTab(page, '销控去化')
  await refreshUntil(page, () =>
    expect(control.getByRole('row').filter({ hasText: '1栋' }).first()).toContainText('50.00%', { timeout: 2_000 }),
  )
  await expect(control.getByRole('img', { name: '各楼栋去化率' }).locator('canvas')).toBeVisible()
  await expect(control.getByRole('img', { name: /各楼栋房源套数/ }).locator('canvas')).toBeVisible()
  await screenshot(page, 'sales-reports-sales-control')
  await checkA11y(page)

  // 来访转化: the funnel of the period's totals.
  const conversion = await openTab(page, '来访转化')
  await refreshUntil(page, () => expect(conversion.locator('.el-table__footer-wrapper')).toContainText('合计', { timeout: 2_000 }))
  await expect(conversion.getByRole('img', { name: /来访转化漏斗/ }).locator('canvas')).toBeVisible()
  await screenshot(page, 'sales-reports-conversion')
  await checkA11y(page)

  // The sales detail as Excel: every row, under its Chinese name, a real xlsx (a zip: "PK").
  await openTab(page, '销售明细')
  const downloading = page.waitForEvent('download')
  await sales.getByRole('button', { name: '导出 Excel' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('销售明细分析表.xlsx')
  const bytes = readFileSync(await download.path())
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK')

  // 报表包: today's daily pack made now (the scheduled ones cover periods that have ended), one
  // workbook with a sheet per report, downloaded under its Chinese name.
  const packs = await openTab(page, '报表包')
  await packs.getByRole('button', { name: '生成报表包' }).click()
  const today = shanghaiDay(0)
  // By the period cell exactly: yesterday's scheduled pack, generated today, also shows today's date.
  const todays = packs
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: today, exact: true }) })
    .filter({ hasText: '日报' })
  await expect(todays).toHaveCount(1)
  await expect(todays).toContainText('手动')
  await expect(todays.getByRole('cell').nth(2)).toHaveText('9')
  await screenshot(page, 'sales-reports-packs')
  await checkA11y(page)
  const packDownloading = page.waitForEvent('download')
  await todays.getByRole('button', { name: '下载' }).click()
  const pack = await packDownloading
  expect(pack.suggestedFilename()).toBe(`经营报表包-日报-${today}-${project.code}.xlsx`)
  const packBytes = readFileSync(await pack.path())
  expect(packBytes.subarray(0, 2).toString('latin1')).toBe('PK')
  // a workbook of nine worksheets
  expect(packBytes.toString('latin1').match(/xl\/worksheets\/sheet\d+\.xml/g)?.length ?? 0).toBeGreaterThanOrEqual(9)
})

test('a sales rep has no 经营报表', async ({ page }) => {
  const api = await adminApi()
  const code = `R${uniqueSuffix().toUpperCase().replace(/[^A-Z0-9]/g, '').slice(-7)}`
  const project = await api.post<{ id: string }>('/api/v1/projects', { code, name: `报表测试 ${code}`, city: '成都' })
  const rep = await activeUser(['sales_rep'], project.id)

  await switchUser(page, rep)
  await expect(menu(page).getByRole('link', { name: '我的客户', exact: true })).toBeVisible()
  await expect(menu(page).getByRole('link', { name: '经营报表', exact: true })).toHaveCount(0)
  await page.goto('/reports/sales')
  await expect(page).toHaveURL(/\/403/)
})
