// THE JOURNEY of a deal through the console (issue 12): the cashier takes the deposit, the rep
// signs with a payment plan, the four auditors approve in their queue, the GM stamps, the
// cashier takes the rest (one wrong receipt reversed 红冲 on the way) and the contract shows
// 可交房; then the surveyed title area is settled through a supplementary agreement, finance
// and an invoice, the maintenance fund is charged and paid, and the handover clerk's handover
// is confirmed by the sales supervisor. Arranged through the API: the project, the users, the
// customer and the subscription.
import { expect, test, type Page } from '@playwright/test'
import { adminApi, checkRadio, expectAccessible, pickOption, screenshot } from './support'
import { SHARED_AREA_CENTI_M2, activeUsers, asUser, releasedProject, subscriptionFor, switchUser, yuan } from './deal-fixtures'

const a11y = {}

async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name }).click()
}

test('deposit → signing → audits → stamping → payments → area settlement → fees → handover confirmed', async ({ page }) => {
  test.setTimeout(600_000) // ~2 min on an idle machine; logins hash passwords and the machine is shared
  const project = await releasedProject()
  const unit = project.units[0]!
  const users = await activeUsers(
    ['sales_rep', 'cashier', 'sales_supervisor', 'sales_manager', 'finance_supervisor', 'finance_director', 'gm', 'handover_clerk'] as const,
    project.projectId,
  )
  const rep = users.sales_rep
  const cashier = users.cashier
  const { subscription } = await subscriptionFor(rep, project.projectId, unit.id, 'instalments')
  const price = BigInt(subscription.price_fen)
  const stamp = `${project.code}-${Date.now() % 100000}`

  // 1. The cashier records the deposit 定金 against the subscription.
  await switchUser(page, cashier)
  await openMenu(page, '登记收款')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登记收款')
  await pickOption(page, page.getByRole('combobox', { name: '认购' }), new RegExp(subscription.id.slice(0, 8)))
  await expect(page.getByLabel('金额（元）')).toHaveValue('50000.00')
  await expect(page.getByText('伍万元整')).toBeVisible()
  await page.getByLabel('付款人').fill('张三')
  await page.getByLabel('收据号').fill(`${stamp}-D`)
  await screenshot(page, 'deal-payment-form')
  await expectAccessible(page, a11y)
  await page.getByRole('button', { name: '登记收款' }).click()
  const receipt = page.getByTestId('receipt')
  await expect(receipt).toContainText(`收据 ${stamp}-D`)
  await expect(page.getByTestId('receipt-amount')).toHaveText('¥50,000.00')
  await expect(page.getByTestId('receipt-capital')).toHaveText('伍万元整')
  await screenshot(page, 'deal-receipt')
  await expectAccessible(page, a11y)
  // 打印收据 opens the receipt's print view.
  await page.getByRole('button', { name: '打印收据' }).click()
  await expect(page).toHaveURL(/\/print\/receipt\//)
  await expect(page.getByTestId('print-amount')).toHaveText('¥50,000.00')
  await expect(page.getByTestId('print-amount-capital')).toHaveText('人民币伍万元整')
  await page.getByRole('button', { name: '关闭' }).click()
  await expect(page.getByTestId('receipt')).toBeVisible()

  // 2. The rep signs with an instalment plan; the remainder shows live and must reach zero.
  await switchUser(page, rep)
  await openMenu(page, '待签约')
  const row = page.getByTestId('to-sign').locator('.el-table__row').filter({ hasText: yuan(price) })
  // The subscription is confirmed when contract hears finance's deposit event (saga).
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(row).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout: 20_000 })
  await row.getByRole('link', { name: '签约' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('签约')
  await expect(page.getByTestId('sign-price')).toHaveText(yuan(price))
  await expect(page.getByTestId('plan-remainder')).toHaveText(yuan(price))
  await page.getByLabel('第 1 期金额（元）').fill('500000')
  await expect(page.getByTestId('plan-remainder')).toHaveText(yuan(price - 50_000_000n))
  await page.getByRole('button', { name: '差额计入最后一期' }).click()
  await expect(page.getByTestId('plan-remainder')).toHaveText('¥0.00')
  await screenshot(page, 'deal-sign')
  await expectAccessible(page, a11y)
  await page.getByRole('button', { name: '确认签约' }).click()
  await expect(page).toHaveURL(/\/contracts\/[0-9a-f-]{36}$/)
  const contractUrl = page.url()
  await expect(page.getByTestId('contract-status')).toHaveText('审核中')
  const contractNo = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').replace('合同', '').trim()
  expect(contractNo).toMatch(new RegExp(`^\\d{4}-${project.code}-\\d{6}$`))

  // 3. The four audits (CON-4), each auditor in turn from the audit queue.
  const auditors = ['sales_supervisor', 'sales_manager', 'finance_supervisor', 'finance_director'] as const
  for (const [i, role] of auditors.entries()) {
    await switchUser(page, users[role])
    await openMenu(page, '审核队列')
    const item = page.getByTestId('audit-queue').locator('.el-table__row').filter({ hasText: contractNo })
    await expect(item).toBeVisible()
    if (i === 0) {
      await screenshot(page, 'deal-audit-queue')
      await expectAccessible(page, a11y)
    }
    await item.getByRole('button', { name: '通过' }).click()
    const dialog = page.getByRole('dialog', { name: '审核通过' })
    await dialog.getByLabel('审核意见').fill(`第 ${i + 1} 步审核通过`)
    await dialog.getByRole('button', { name: '确认通过' }).click()
    await expect(item).toHaveCount(0)
  }

  // 4. The GM stamps the fully reviewed contract; the approvals page is theirs too.
  await switchUser(page, users.gm)
  await page.goto(contractUrl)
  await expect(page.getByTestId('contract-status')).toHaveText('已复核')
  await page.getByLabel('用印编号').fill(stamp)
  await page.getByRole('button', { name: '确认盖章' }).click()
  await expect(page.getByTestId('contract-status')).toHaveText('已盖章')
  await expect(page.getByTestId('contract-audits')).toContainText('第 4 步审核通过')
  await openMenu(page, '审批')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('审批')
  await screenshot(page, 'deal-approvals')
  await expectAccessible(page, a11y)

  // 5. The cashier takes a wrong receipt, reverses it 红冲 with a reason, then takes the rest.
  await switchUser(page, cashier)
  await page.goto(contractUrl)
  await page.getByRole('button', { name: '登记收款' }).click()
  await expect(page.getByTestId('pay-contract-info')).toContainText(contractNo)
  await checkRadio(page.getByRole('radio', { name: '分期款' }))
  await page.getByLabel('金额（元）').fill('10000')
  await page.getByLabel('付款人').fill('张三')
  await page.getByLabel('收据号').fill(`${stamp}-W`)
  await page.getByRole('button', { name: '登记收款' }).click()
  await expect(page.getByTestId('receipt-amount')).toHaveText('¥10,000.00')

  await openMenu(page, '当日收据')
  const wrong = page.getByTestId('receipts-table').locator('.el-table__row').filter({ hasText: `${stamp}-W` })
  await wrong.getByRole('button', { name: '红冲' }).click()
  const reverse = page.getByRole('dialog', { name: '红冲' })
  await reverse.getByRole('button', { name: '确认红冲' }).click()
  await expect(reverse.getByText('请填写红冲原因')).toBeVisible() // the reason is required (FIN-3)
  await reverse.getByLabel('红冲原因').fill('金额录错，红冲后按回单重录')
  await reverse.getByRole('button', { name: '确认红冲' }).click()
  await expect(reverse).toBeHidden()
  await expect(wrong).toContainText('已红冲')
  await expect(page.getByTestId('receipts-table')).toContainText('红冲：金额录错，红冲后按回单重录')
  await expect(page.getByTestId('receipts-totals')).toContainText('-¥10,000.00')
  await screenshot(page, 'deal-receipts')
  await expectAccessible(page, a11y)

  await page.goto(contractUrl)
  await page.getByRole('button', { name: '登记收款' }).click()
  const rest = price - 5_000_000n
  await expect(page.getByTestId('pay-balance')).toHaveText(yuan(rest))
  await page.getByRole('button', { name: '按未付余额填入' }).click()
  await page.getByLabel('付款人').fill('张三')
  await page.getByLabel('收据号').fill(`${stamp}-R`)
  await page.getByRole('button', { name: '登记收款' }).click()
  await expect(page.getByTestId('receipt-amount')).toHaveText(yuan(rest))

  // 6. Finance cleared → the contract becomes eligible for handover (asynchronous saga).
  await page.getByRole('link', { name: '查看合同' }).click()
  await expect(page.getByTestId('balance-cleared')).toHaveText('款项已结清')
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('handover-state')).toHaveText('可交房', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  // CON-10: the price terms fixed at signing, from the unit; the unit price follows the price.
  await expect(page.getByTestId('contract-pricing-basis')).toHaveText('按建筑面积计价')
  await expect(page.getByTestId('contract-gross-area')).toHaveText(`${(unit.gross_area_centi_m2 / 100).toFixed(2)} m²`)
  await expect(page.getByTestId('contract-internal-area')).toHaveText(`${((unit.gross_area_centi_m2 - SHARED_AREA_CENTI_M2) / 100).toFixed(2)} m²`)
  const unitPrice = (price * 200n + BigInt(unit.gross_area_centi_m2)) / (2n * BigInt(unit.gross_area_centi_m2))
  await expect(page.getByTestId('contract-unit-price')).toHaveText(`${yuan(unitPrice)}/m²`)
  await screenshot(page, 'deal-contract')

  // 7. CON-10: the surveyed title area (1.00 m² more, within 3%) settles the contract by REG-1:
  // the buyer pays for the difference at the contract unit price. Recorded by one person,
  // approved by another (the sales manager).
  const admin = await adminApi()
  const survey = await admin.post<{ id: string }>(`/api/v1/buildings/${project.buildingId}/title-area-surveys`, {
    note: '产权处核定面积表',
    items: [{ unit_id: unit.id, gross_area_centi_m2: unit.gross_area_centi_m2 + 100, internal_area_centi_m2: unit.gross_area_centi_m2 - SHARED_AREA_CENTI_M2 + 100 }],
  })
  await (await asUser(users.sales_manager)).post(`/api/v1/title-area-surveys/${survey.id}/approve`, { note: '已核对' })
  const gross = BigInt(unit.gross_area_centi_m2)
  const buyerPays = (price * 100n * 2n + gross) / (2n * gross) // price × 1.00 m² ÷ gross area, half up
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('area-settlements')).toContainText('待补差', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  const settlement = page.getByTestId('area-settlements')
  await expect(settlement).toContainText(`${(unit.gross_area_centi_m2 / 100).toFixed(2)} m² → ${((unit.gross_area_centi_m2 + 100) / 100).toFixed(2)} m²`)
  await expect(settlement).toContainText(yuan(buyerPays))
  await expect(settlement).toContainText(yuan(price + buyerPays))
  await settlement.scrollIntoViewIfNeeded()
  await screenshot(page, 'deal-area-settlement')
  await expectAccessible(page, a11y)

  // 8. The handover clerk records the supplementary agreement 补充协议; finance books what the
  // buyer pays, so the contract is no longer cleared until it is paid.
  await switchUser(page, users.handover_clerk)
  await page.goto(contractUrl)
  const card = page.getByTestId('area-settlements')
  await expect(card).toContainText(`买受人补交 ${yuan(buyerPays)}，须填写付款期限`)
  await card.getByLabel('协议编号').fill(`BC-${stamp}`)
  await card.getByRole('button', { name: '登记补充协议' }).click()
  await expect(card.locator('.el-form-item__error', { hasText: 'is required' })).toBeVisible() // the buyer pays: a due date
  await card.getByLabel('付款期限').fill(dueIn15Days())
  await card.getByLabel('付款期限').press('Enter')
  await card.getByRole('button', { name: '登记补充协议' }).click()
  await expect(card).toContainText('已签补充协议，待财务结算')
  await expect(page.getByTestId('area-settlement-steps')).toContainText(`BC-${stamp}`)
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('handover-state')).toHaveText('未结清', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await screenshot(page, 'deal-area-agreement')
  await expectAccessible(page, a11y)

  // 9. The cashier takes the settlement payment 面积补差款: finance settles it, the contract is
  // cleared again, and the cashier records the invoice.
  await switchUser(page, cashier)
  await page.goto(contractUrl)
  await page.getByRole('button', { name: '登记收款' }).click()
  await checkRadio(page.getByRole('radio', { name: '面积补差' }))
  await page.getByLabel('金额（元）').fill((Number(buyerPays) / 100).toFixed(2))
  await page.getByLabel('付款人').fill('张三')
  await page.getByLabel('收据号').fill(`${stamp}-A`)
  await page.getByRole('button', { name: '登记收款' }).click()
  await expect(page.getByTestId('receipt-amount')).toHaveText(yuan(buyerPays))
  await page.getByRole('link', { name: '查看合同' }).click()
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('area-settlements')).toContainText('已结算，待开票', { timeout: 1_000 })
    await expect(page.getByTestId('handover-state')).toHaveText('可交房', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByTestId('area-settlement-steps')).toContainText('补差款已收')
  await page.getByTestId('area-settlements').getByLabel('发票号').fill(`FP-${stamp}`)
  await page.getByTestId('area-settlements').getByRole('button', { name: '登记发票' }).click()
  await expect(page.getByTestId('area-settlements')).toContainText('已开票')
  await expect(page.getByTestId('area-settlement-steps')).toContainText(`FP-${stamp}`)
  await page.getByTestId('area-settlements').scrollIntoViewIfNeeded()
  await screenshot(page, 'deal-area-invoiced')
  await expectAccessible(page, a11y)

  // 10. CON-9: the handover clerk charges the maintenance fund 维修基金: a receivable, so the
  // contract is not cleared until the cashier collects it.
  await switchUser(page, users.handover_clerk)
  await page.goto(contractUrl)
  const fees = page.getByTestId('handover-fees')
  await fees.getByLabel('金额（元）').fill('3000')
  await fees.getByRole('button', { name: '计入应收' }).click()
  await expect(fees).toContainText('维修基金')
  await expect(fees).toContainText('¥3,000.00')
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('handover-state')).toHaveText('未结清', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await fees.scrollIntoViewIfNeeded()
  await screenshot(page, 'deal-handover-fees')
  await expectAccessible(page, a11y)
  await switchUser(page, cashier)
  await page.goto(contractUrl)
  await page.getByRole('button', { name: '登记收款' }).click()
  await checkRadio(page.getByRole('radio', { name: '代收费用' }))
  await page.getByLabel('金额（元）').fill('3000')
  await page.getByLabel('付款人').fill('张三')
  await page.getByLabel('收据号').fill(`${stamp}-F`)
  await page.getByRole('button', { name: '登记收款' }).click()
  await expect(page.getByTestId('receipt-amount')).toHaveText('¥3,000.00')

  // 11. The handover clerk records the handover; the sales supervisor confirms it.
  await switchUser(page, users.handover_clerk)
  await page.goto(contractUrl)
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('handover-state')).toHaveText('可交房', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await page.getByRole('button', { name: '登记交房' }).click()
  await expect(page.getByTestId('handover-state')).toHaveText('交房待主管确认')
  await expect(page.getByRole('button', { name: '确认交房' })).toHaveCount(0) // not the clerk's to confirm
  await switchUser(page, users.sales_supervisor)
  await openMenu(page, '可交房')
  await page.getByRole('tab', { name: '待确认交房' }).click()
  await page.getByRole('link', { name: contractNo }).click()
  await page.getByRole('button', { name: '退回' }).click()
  await expect(page.getByText('退回须填写原因')).toBeVisible()
  await page.getByLabel('确认意见').fill('现场核实，钥匙已交付')
  await screenshot(page, 'deal-handover-confirm')
  await expectAccessible(page, a11y)
  await page.getByRole('button', { name: '确认交房' }).click()
  await expect(page.getByTestId('handover-state')).toHaveText(/已交房/)
})

/** Fifteen days from today in Asia/Shanghai, YYYY-MM-DD. */
function dueIn15Days(): string {
  return new Date(Date.now() + (8 * 3600 + 15 * 86400) * 1000).toISOString().slice(0, 10)
}
