// CON-6 cancellation after review, carried through: sales control asks, the finance director
// approves once (that approval is also the refund's), the cashier pays it from the list of
// refunds waiting, and only then is the contract cancelled and the unit free again. The deal up
// to a reviewed contract is arranged through the API.
import { expect, test, type Page } from '@playwright/test'
import { expectAccessible, screenshot } from './support'
import { activeUsers, asUser, payDeposit, releasedProject, reviewedContract, shanghaiDay, subscriptionFor, switchUser, yuan } from './deal-fixtures'

async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name }).click()
}


test('a cancellation is approved once, refunded by the cashier, then the contract ends and the unit is free', async ({ page }) => {
  test.setTimeout(300_000)
  const project = await releasedProject()
  const unit = project.units[1]!
  const users = await activeUsers(
    ['sales_rep', 'cashier', 'sales_control', 'sales_supervisor', 'sales_manager', 'finance_supervisor', 'finance_director'] as const,
    project.projectId,
  )
  const { subscription } = await subscriptionFor(users.sales_rep, project.projectId, unit.id, 'one_off')
  await payDeposit(users, subscription, `D-${project.code}`, '李四')
  const rep = await asUser(users.sales_rep)
  const contract = await reviewedContract(users, subscription.id, { kind: 'one_off', due_date: shanghaiDay(10) })
  const refund = BigInt(subscription.deposit_fen)

  // 1. Sales control asks for the cancellation with the refund of the deposit.
  await switchUser(page, users.sales_control)
  await page.goto(`/contracts/${contract.id}`)
  await page.getByLabel('退款金额（元）').fill((Number(refund) / 100).toFixed(2))
  await page.getByLabel('解除原因').fill('客户家庭原因退房')
  await page.getByRole('button', { name: '提交解除申请' }).click()
  await expect(page.getByText('已提交解除申请')).toBeVisible()

  // 2. The finance director approves it once: the contract waits for the refund.
  await switchUser(page, users.finance_director)
  await page.goto(`/contracts/${contract.id}`)
  await page.getByLabel('审批意见').fill('同意退房，退还定金')
  await page.getByRole('button', { name: '批准解除' }).click()
  await expect(page.getByTestId('contract-status')).toHaveText('解除中（待退款）')
  await expect(page.getByText('已批准，待财务退款')).toBeVisible()
  await screenshot(page, 'cancellation-approved')
  await expectAccessible(page)

  // 3. The cashier pays it from the refunds waiting — no second approval.
  await switchUser(page, users.cashier)
  await openMenu(page, '退款')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('退款') // not still on the login redirect
  const waiting = page.getByTestId('unpaid-approvals').locator('.el-table__row').filter({ hasText: contract.contract_no })
  await expect(async () => {
    await page.goto('/refunds')
    await expect(waiting).toHaveCount(1, { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await expect(waiting).toContainText('退房退款')
  await expect(waiting).toContainText(yuan(refund))
  await screenshot(page, 'cancellation-refunds-waiting')
  await expectAccessible(page)
  await waiting.getByRole('button', { name: '办理退款' }).click()
  await expect(page.getByLabel('退款金额（元）')).toHaveValue((Number(refund) / 100).toFixed(2))
  await page.getByLabel('收款人').fill('李四')
  await page.getByLabel('单据号').fill(`TK-${project.code}`)
  await page.getByRole('button', { name: '确认付款' }).click()
  await expect(page.getByText(`已付出退款 ${yuan(refund)}`)).toBeVisible()
  await expect(waiting).toHaveCount(0)

  // 4. The refund paid: the contract is cancelled and the unit is available again.
  await page.goto(`/contracts/${contract.id}`)
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('contract-status')).toHaveText('已解除', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByText('已批准，退款已付')).toBeVisible()
  await screenshot(page, 'cancellation-done')
  await expect
    .poll(async () => (await rep.get<{ status: string }>(`/api/v1/units/${unit.id}`)).status, { timeout: 30_000 })
    .toBe('available')
})
