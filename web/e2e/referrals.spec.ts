// CON-11 会员积分 through the console: the rep names the member (an owner) who referred the buyer
// on the signing screen; the cashier confirms the application; once the buyer has paid 80% of the
// price the points are credited, and the finance supervisor redeems them against a 兑换单. The
// member's own deal and the payments are arranged through the API.
import { expect, test, type Page } from '@playwright/test'
import { expectAccessible, screenshot } from './support'
import { activeUsers, asUser, payDeposit, releasedProject, shanghaiDay, subscriptionFor, switchUser, yuan } from './deal-fixtures'


async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
}

test('a referral recorded at signing is confirmed, credited at 80% paid and redeemed', async ({ page }) => {
  test.setTimeout(300_000)
  const project = await releasedProject()
  const users = await activeUsers(['sales_rep', 'cashier', 'finance_supervisor'] as const, project.projectId)
  const rep = await asUser(users.sales_rep)
  const cashier = await asUser(users.cashier)

  // The member 会员 bought earlier: an owner with a signed contract.
  const member = await subscriptionFor(users.sales_rep, project.projectId, project.units[0]!.id, 'one_off')
  await payDeposit(users, member.subscription, `D1-${project.code}`)
  await rep.post(`/api/v1/subscriptions/${member.subscription.id}/sign`, { plan: { kind: 'one_off', due_date: shanghaiDay(10) } })

  // 1. The rep signs the referred buyer's contract and names the member by the card's phone.
  const buyer = await subscriptionFor(users.sales_rep, project.projectId, project.units[1]!.id, 'one_off')
  await payDeposit(users, buyer.subscription, `D2-${project.code}`)
  await switchUser(page, users.sales_rep)
  await page.goto(`/subscriptions/${buyer.subscription.id}/sign`)
  const referrer = page.getByRole('combobox', { name: '推荐会员' })
  await referrer.fill(member.phone)
  const option = page.getByRole('option', { name: new RegExp(member.customerName) })
  await option.click()
  await expect(option).toBeHidden()
  await expect(page.getByTestId('sign-referrer')).toContainText(member.customerName)
  await screenshot(page, 'referral-signing')
  await expectAccessible(page)
  await page.getByRole('button', { name: '确认签约' }).click()
  await expect(page).toHaveURL(/\/contracts\/[0-9a-f-]{36}$/)
  const contractId = page.url().split('/').pop()!
  const contract = await rep.get<{ contract_no: string; price_fen: number; referrer_customer_id: string }>(`/api/v1/contracts/${contractId}`)
  expect(contract.referrer_customer_id).toBe(member.customerId)
  await expect(page.getByTestId('contract-referrer')).toContainText(member.customerName)
  const points = Math.floor(contract.price_fen / 100_000)

  // 2. The cashier confirms the application (经营部经理批准的申请书原件).
  await switchUser(page, users.cashier)
  await openMenu(page, '会员积分')
  const row = page.getByTestId('referrals').locator('.el-table__row').filter({ hasText: contract.contract_no })
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(row).toHaveCount(1, { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await expect(row).toContainText('待确认')
  await expect(row).toContainText(member.customerName)
  await expect(row).toContainText(buyer.customerName)
  await expect(row).toContainText(String(points))
  await row.getByRole('button', { name: '确认申请' }).click()
  await page.getByRole('tooltip').getByRole('button', { name: '确认' }).click()
  await expect(row).toContainText('已确认')

  // 3. The buyer pays up to 80% of the price: the points are credited.
  const eighty = (BigInt(contract.price_fen) * 80n + 99n) / 100n
  await cashier.post('/api/v1/payments', {
    contract_id: contractId,
    category: 'instalment',
    method: 'transfer',
    payer: buyer.customerName,
    amount_fen: Number(eighty - BigInt(buyer.subscription.deposit_fen)),
    receipt_no: `S-${project.code}`,
  })
  await page.getByRole('button', { name: '刷新' }).click()
  await expect(row).toContainText('可兑换')
  await expect(row).toContainText('80.0%')
  await expect(row).toContainText(`已付 ${yuan(eighty)}`)
  await screenshot(page, 'referrals-list')
  await expectAccessible(page)

  // 4. The finance supervisor redeems the points against a 兑换单.
  await switchUser(page, users.finance_supervisor)
  await openMenu(page, '会员积分')
  await row.getByRole('button', { name: '积分明细' }).click()
  const drawer = page.getByTestId('member-points')
  await expect(drawer.getByTestId('points-balance')).toHaveText(String(points))
  await expect(drawer.getByTestId('points-entries')).toContainText(`+${points}`)
  await drawer.getByLabel('兑换积分').fill(String(points))
  await drawer.getByLabel('兑换单号').fill(`DH-${project.code}`)
  await drawer.getByLabel('备注').fill('兑换物业费')
  await drawer.getByRole('button', { name: '兑换' }).click()
  await expect(drawer.getByTestId('redeemed')).toContainText(`已兑换 ${points} 分`)
  await expect(drawer.getByTestId('points-balance')).toHaveText('0')
  await expect(drawer.getByTestId('points-entries')).toContainText(`兑换单 DH-${project.code}`)
  await screenshot(page, 'referral-points-redeemed')
  await expectAccessible(page)

  // 5. A wrong redemption is reversed (红冲) with a reason: the points are back.
  await drawer.getByRole('button', { name: '冲销' }).click()
  const prompt = page.getByRole('dialog', { name: '冲销兑换' })
  await prompt.getByRole('textbox').fill('兑换单填错会员')
  await prompt.getByRole('button', { name: '冲销' }).click()
  await expect(prompt).toBeHidden()
  await expect(drawer.getByTestId('points-balance')).toHaveText(String(points))
  await expect(drawer.getByTestId('points-entries')).toContainText('冲销：兑换单填错会员')
  await expect(drawer.getByTestId('points-entries')).toContainText('已冲销')
  await expect(drawer.getByRole('button', { name: '冲销' })).toHaveCount(0)
  await screenshot(page, 'referral-points-reversed')
})
