// 按揭 (CON-8) through the console: a deal signed with a mortgage plan is on the mortgage clerk's
// 按揭情况列表 at once; the rep ticks documents; the clerk cannot submit while documents are
// missing, completes the checklist, submits to a bank, records the approval and the mortgage
// registration; the cashier posts the bank's loan (按揭放款) on the payment screen; the file shows
// the disbursement from finance, and the contract (which links to its file) becomes 可交房.
// Arranged through the API: the project, the users, the customer, the subscription, its deposit,
// the signing (mortgage plan), the four audits and the stamp.
import { expect, test, type Page } from '@playwright/test'
import { checkRadio, expectAccessible, screenshot } from './support'

// checkRadio clicks the label of an Element Plus radio or checkbox (the input itself is hidden).
import { activeUsers, asUser, mortgagePlan, payDeposit, releasedProject, reviewedContract, shanghaiDay, subscriptionFor, switchUser, yuan } from './deal-fixtures'

async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true }).click()
}

test('mortgage deal: documents → bank → approval → registration → loan disbursed → handover eligible', async ({ page }) => {
  test.setTimeout(480_000) // logins hash passwords; the machine is shared
  const project = await releasedProject()
  const unit = project.units[0]!
  const users = await activeUsers(
    ['sales_rep', 'cashier', 'mortgage_clerk', 'sales_supervisor', 'sales_manager', 'finance_supervisor', 'finance_director', 'gm'] as const,
    project.projectId,
  )
  const { subscription } = await subscriptionFor(users.sales_rep, project.projectId, unit.id, 'mortgage')
  const price = subscription.price_fen
  const deposit = subscription.deposit_fen
  const plan = mortgagePlan(price)
  const loan = plan.loan_fen
  const stamp = `${project.code}-${Date.now() % 100000}`

  // Arranged: the deposit, the signing with a mortgage plan, the audits and the stamp.
  await payDeposit(users, subscription, `${stamp}-D`, '张三')
  const contract = await reviewedContract(users, subscription.id, plan, '审核通过')
  await (await asUser(users.gm)).post(`/api/v1/contracts/${contract.id}/stamp`, { stamped_on: shanghaiDay(0), stamp_no: stamp })

  // 1. The clerk's 按揭情况列表 lists the deal at once, documents pending.
  await switchUser(page, users.mortgage_clerk)
  await openMenu(page, '按揭')
  await expect(page.getByRole('heading', { name: '按揭情况列表', level: 1 })).toBeVisible()
  const row = page.getByTestId('mortgage-list').locator('.el-table__row').filter({ hasText: contract.contract_no })
  await expect(row).toContainText('资料收集中')
  await expect(row).toContainText('缺 8 项')
  await expect(row).toContainText(yuan(loan))
  await expect(page.getByTestId('mortgage-totals')).toContainText('资料收集中')
  await screenshot(page, 'mortgage-list')
  await expectAccessible(page)

  // 2. The rep ticks the documents the buyer brought.
  await switchUser(page, users.sales_rep)
  await openMenu(page, '按揭')
  await page.getByTestId('mortgage-list').getByRole('link', { name: contract.contract_no }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`按揭 ${contract.contract_no}`)
  await expect(page.getByTestId('mortgage-actions')).toHaveCount(0) // the bank steps are the clerk's
  const checklist = page.getByTestId('mortgage-checklist')
  for (const name of ['身份证', '户口簿', '婚姻证明', '收入证明', '银行流水']) await checkRadio(checklist.getByRole('checkbox', { name }))
  await checklist.getByLabel('备注').fill('原件已核对')
  await checklist.getByRole('button', { name: '保存资料' }).click()
  await expect(page.getByTestId('documents-complete')).toHaveText('缺 3 项')
  await expect(page.getByTestId('documents-missing')).toContainText('征信查询授权书、购房合同、首付款收据')

  // 3. The clerk may not submit while documents are missing; completes them, submits.
  await switchUser(page, users.mortgage_clerk)
  await openMenu(page, '按揭')
  await page.getByTestId('mortgage-list').getByRole('link', { name: contract.contract_no }).click()
  await expect(page.getByTestId('mortgage-status')).toHaveText('资料收集中')
  await expect(checklist.getByText(/已收 · 用户 /)).toHaveCount(5) // recorded by the rep, with the time
  await page.getByLabel('银行', { exact: true }).fill('中国建设银行')
  await page.getByLabel('支行').fill('成都高新支行')
  await page.getByRole('button', { name: '送审', exact: true }).click()
  await expect(page.getByTestId('submit-error')).toContainText('资料不齐')
  await expect(page.getByTestId('submit-error')).toContainText('首付款收据')
  await screenshot(page, 'mortgage-documents-missing')
  for (const name of ['征信查询授权书', '购房合同', '首付款收据']) await checkRadio(checklist.getByRole('checkbox', { name }))
  await checklist.getByRole('button', { name: '保存资料' }).click()
  await expect(page.getByTestId('documents-complete')).toHaveText('资料齐全')
  await expect(page.getByTestId('mortgage-status')).toHaveText('资料齐全')
  await page.getByLabel('银行', { exact: true }).fill('中国建设银行')
  await page.getByRole('button', { name: '送审', exact: true }).click()
  await expect(page.getByTestId('mortgage-status')).toHaveText('已送审')
  await expect(page.getByTestId('mortgage-summary')).toContainText('中国建设银行')

  // 4. The bank approves more than the loan: refused; then the loan itself.
  await page.getByLabel('批贷金额').fill(String((loan + 100) / 100))
  await page.getByRole('button', { name: '登记批贷' }).click()
  await expect(page.getByTestId('mortgage-actions')).toContainText('批贷金额超过合同约定的贷款金额')
  await page.getByLabel('批贷金额').fill((loan / 100).toFixed(2))
  await page.getByRole('button', { name: '登记批贷' }).click()
  await expect(page.getByTestId('mortgage-status')).toHaveText('已批贷')
  await screenshot(page, 'mortgage-approved')
  await expectAccessible(page)

  // 5. Mortgage registration 抵押登记.
  await page.getByLabel('登记证明号').fill(`川(2026)成都市不动产证明第${stamp}号`)
  await page.getByRole('button', { name: '登记抵押' }).click()
  await expect(page.getByTestId('mortgage-status')).toHaveText('已抵押登记')
  const fileUrl = page.url()

  // 6. The cashier takes the rest of the down payment and the bank's loan on the payment screen.
  await switchUser(page, users.cashier)
  await page.goto(`/contracts/${contract.id}`)
  for (const [category, amount, method, suffix] of [
    ['首付款', plan.down_payment_fen - deposit, '转账', 'F'],
    ['按揭放款', loan, '银行放款', 'L'],
  ] as const) {
    await page.getByRole('button', { name: '登记收款' }).click()
    await expect(page.getByTestId('pay-contract-info')).toContainText(contract.contract_no)
    await checkRadio(page.getByRole('radio', { name: category }))
    await checkRadio(page.getByRole('radio', { name: method }))
    await page.getByLabel('金额（元）').fill((amount / 100).toFixed(2))
    await page.getByLabel('付款人').fill(category === '按揭放款' ? '中国建设银行' : '张三')
    await page.getByLabel('收据号').fill(`${stamp}-${suffix}`)
    await page.getByRole('button', { name: '登记收款' }).click()
    await expect(page.getByTestId('receipt-amount')).toHaveText(yuan(amount))
    await page.getByRole('link', { name: '查看合同' }).click()
  }

  // 7. The file shows finance's disbursement; the contract links to it and becomes 可交房.
  await switchUser(page, users.mortgage_clerk)
  await page.goto(fileUrl)
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('mortgage-status')).toHaveText('已放款', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByTestId('mortgage-disbursed')).toHaveText(yuan(loan))
  await expect(page.getByTestId('mortgage-disbursements')).toContainText(`${stamp}-L`)
  await expect(page.getByTestId('mortgage-history')).toContainText('银行放款')
  await screenshot(page, 'mortgage-disbursed')
  await expectAccessible(page)

  await switchUser(page, users.sales_manager)
  await page.goto(`/contracts/${contract.id}`)
  await expect(async () => {
    await page.getByRole('button', { name: '刷新' }).click()
    await expect(page.getByTestId('handover-state')).toHaveText('可交房', { timeout: 1_000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByTestId('contract-mortgage')).toHaveText('按揭：已放款')
  await page.getByTestId('contract-mortgage').click()
  await expect(page).toHaveURL(fileUrl)
  await openMenu(page, '按揭')
  await page.getByRole('button', { name: /已放款/ }).click()
  await expect(page.getByTestId('mortgage-list').locator('.el-table__row').filter({ hasText: contract.contract_no })).toContainText('已放款')
  await screenshot(page, 'mortgage-list-disbursed')
})
