// CON-5 unit change after signing 换房 through the console: the sales supervisor picks an
// available unit of the project for a reviewed contract; the new unit is held at once (the 楼盘表
// shows it taken, the old unit still sold), the audit shows the old and the new unit, and after
// the four approvals the contract is on the new unit, which is sold, while the old one is for
// sale again. The deal up to a reviewed contract is arranged through the API.
import { expect, test } from '@playwright/test'
import { checkRadio, expectAccessible, pickOption, screenshot } from './support'
import { activeUsers, asUser, payDeposit, releasedProject, reviewedContract, shanghaiDay, subscriptionFor, switchUser, yuan } from './deal-fixtures'


test('换房 after signing: the new unit is held through the audit, then sold; the old one is free', async ({ page }) => {
  test.setTimeout(300_000)
  const project = await releasedProject()
  const [oldUnit, newUnit] = [project.units[0]!, project.units[3]!]
  const users = await activeUsers(
    ['sales_rep', 'cashier', 'sales_supervisor', 'sales_manager', 'finance_supervisor', 'finance_director'] as const,
    project.projectId,
  )
  const { subscription } = await subscriptionFor(users.sales_rep, project.projectId, oldUnit.id, 'one_off')
  await payDeposit(users, subscription, `D-${project.code}`, '王五')
  const rep = await asUser(users.sales_rep)
  const contract = await reviewedContract(users, subscription.id, { kind: 'one_off', due_date: shanghaiDay(10) })
  const newPrice = BigInt(newUnit.list_total_fen) // no discount: the new unit's list total

  // 1. The sales supervisor asks for the unit change on the contract page.
  await switchUser(page, users.sales_supervisor)
  await page.goto(`/contracts/${contract.id}`)
  await checkRadio(page.getByRole('radio', { name: '换房' }))
  await pickOption(page, page.getByRole('combobox', { name: '新房源' }), new RegExp(`${newUnit.unit_number}\\b`))
  await expect(page.getByTestId('unit-change-preview')).toContainText(newUnit.unit_number)
  await expect(page.getByTestId('unit-change-preview')).toContainText(yuan(newPrice))
  await page.getByLabel('变更原因').fill('客户改选其他户型，申请换房')
  await screenshot(page, 'unit-change-request')
  await expectAccessible(page)
  await page.getByRole('button', { name: '提交变更' }).click()
  await expect(page.getByText('换房已提交，新房源已锁定，进入审核')).toBeVisible()

  // 2. The amendment is in audit: old → new unit shown; the new unit held, the old still sold.
  await expect(page.getByTestId('amendment-summary')).toContainText(`换房 ${oldUnit.unit_number} → ${newUnit.unit_number}`)
  const underAudit = page.getByTestId('amendment-under-audit')
  await expect(underAudit).toContainText(oldUnit.unit_number)
  await expect(underAudit).toContainText(newUnit.unit_number)
  await screenshot(page, 'unit-change-in-audit')
  await expectAccessible(page)
  const inventoryView = await asUser(users.sales_rep)
  const status = async (id: string) => (await inventoryView.get<{ status: string }>(`/api/v1/units/${id}`)).status
  expect(await status(newUnit.id)).toBe('held')
  expect(await status(oldUnit.id)).toBe('signed')

  // 3. Four approvals (the first in the console); then the contract is on the new unit.
  await page.getByLabel('审核意见').fill('同意换房')
  await page.getByRole('button', { name: '审核通过' }).click()
  await expect(underAudit).toHaveCount(0) // the next step is the manager's
  const amendmentId = (await rep.get<{ amendments: { id: string }[] }>(`/api/v1/contracts/${contract.id}`)).amendments[0]!.id
  for (const role of ['sales_manager', 'finance_supervisor', 'finance_director'] as const)
    await (await asUser(users[role])).post(`/api/v1/amendments/${amendmentId}/audit/approve`, { note: '同意换房' })
  await page.reload()
  await expect(page.getByText('已生效')).toBeVisible()
  await expect(page.getByTestId('amendment-summary')).toContainText(`新成交价 ${yuan(newPrice)}`)
  await expect.poll(() => status(newUnit.id), { timeout: 20_000 }).toBe('signed')
  expect(await status(oldUnit.id)).toBe('available')
  await screenshot(page, 'unit-change-approved')
})
