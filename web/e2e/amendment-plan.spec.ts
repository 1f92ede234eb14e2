// CON-5 amendments that change the price or the plan, through the console: a mortgage contract
// changes unit (换房); its new price needs a new plan, which the supervisor fills in on the
// contract page (the down payment, the rest into the loan). After the four approvals the contract
// carries the new unit's price and the new plan. The deal up to a reviewed contract is arranged
// through the API.
import { expect, test } from '@playwright/test'
import { checkRadio, expectAccessible, pickOption, screenshot } from './support'
import { AUDIT_ROLES, activeUsers, asUser, mortgagePlan, payDeposit, releasedProject, reviewedContract, subscriptionFor, switchUser, yuan } from './deal-fixtures'


test('换房 on a mortgage contract is submitted with its new plan and applies both', async ({ page }) => {
  test.setTimeout(300_000)
  const project = await releasedProject()
  const [oldUnit, newUnit] = [project.units[1]!, project.units[2]!]
  const users = await activeUsers(
    ['sales_rep', 'cashier', 'sales_supervisor', 'sales_manager', 'finance_supervisor', 'finance_director'] as const,
    project.projectId,
  )
  const { subscription } = await subscriptionFor(users.sales_rep, project.projectId, oldUnit.id, 'mortgage')
  await payDeposit(users, subscription, `D-${project.code}`, '赵六')
  const rep = await asUser(users.sales_rep)
  const contract = await reviewedContract(users, subscription.id, mortgagePlan(subscription.price_fen))
  const newPrice = newUnit.list_total_fen // no discount

  // 1. 换房: the new price makes the plan required; the supervisor keeps a mortgage plan.
  await switchUser(page, users.sales_supervisor)
  await page.goto(`/contracts/${contract.id}`)
  await checkRadio(page.getByRole('radio', { name: '换房' }))
  await pickOption(page, page.getByRole('combobox', { name: '新房源' }), new RegExp(`${newUnit.unit_number}\\b`))
  await expect(page.getByText(`成交价变为 ${yuan(newPrice)}，须重新填写付款计划`)).toBeVisible()
  await expect(page.getByRole('switch', { name: '调整付款计划' })).toHaveCount(0) // not optional now
  await checkRadio(page.getByRole('radio', { name: '按揭付款' }))
  await page.getByLabel('首付款（元）').fill('600000')
  await page.getByRole('button', { name: '差额计入贷款' }).click()
  await expect(page.getByTestId('plan-remainder')).toHaveText(yuan(0))
  await page.getByLabel('变更原因').fill('客户改选其他户型，按揭金额相应调整')
  await screenshot(page, 'amendment-plan-request')
  await expectAccessible(page)
  await page.getByRole('button', { name: '提交变更' }).click()
  await expect(page.getByText('换房已提交，新房源已锁定，进入审核')).toBeVisible()
  await expect(page.getByTestId('amendment-summary')).toContainText('付款计划调整')

  // 2. Four approvals: the contract has the new price and plan.
  const amendmentId = (await rep.get<{ amendments: { id: string }[] }>(`/api/v1/contracts/${contract.id}`)).amendments[0]!.id
  for (const role of AUDIT_ROLES) await (await asUser(users[role])).post(`/api/v1/amendments/${amendmentId}/audit/approve`, { note: '同意' })
  await page.reload()
  await expect(page.getByText('已生效')).toBeVisible()
  const plan = page.getByTestId('contract-plan')
  await expect(plan).toContainText(yuan(60_000_000))
  await expect(plan).toContainText(yuan(newPrice - 60_000_000))
  await screenshot(page, 'amendment-plan-approved')
})
