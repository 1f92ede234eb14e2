// 合同查询 and 待备案 (CON-7). Arranged through the API: a fresh project with three contracts —
// two of rep A (one stamped 14 days ago: its registration is overdue; one stamped today) and one of
// rep B still in audit. The sales manager searches by status, rep and signing days (the buyers'
// phones masked: CUS-8), then records registrations from the 待备案 list: a registration number
// already used in the project is refused with the contract that holds it. Rep A sees the phone of
// their own buyer in full and rep B's masked.
import { expect, test, type Page } from '@playwright/test'
import { adminApi, adminPassword, expectAccessible, pickOption, screenshot, type TestUser } from './support'
import { activeUser, activeUsers, asUser, releasedProject, shanghaiDay, subscriptionFor, switchUser } from './deal-fixtures'

interface Made {
  id: string
  contractNo: string
  customerName: string
}

/** A signed contract of `rep` for the unit: customer and subscription (rep), deposit (admin), signing (rep). */
async function contractFor(rep: TestUser, projectId: string, unitId: string, plan: 'one_off' | 'mortgage'): Promise<Made> {
  const { customerName, subscription } = await subscriptionFor(rep, projectId, unitId, plan)
  // Finance learns the subscription from contract's event: asUser's post retries the 404 until then.
  const cashier = await asUser({ username: 'admin', password: adminPassword() } as TestUser)
  await cashier.post('/api/v1/payments', {
    subscription_id: subscription.id,
    category: 'deposit',
    method: 'card',
    payer: customerName,
    amount_fen: subscription.deposit_fen,
    receipt_no: `CS-${subscription.id.slice(0, 8)}`,
  })
  const api = await asUser(rep)
  await expect
    .poll(async () => (await api.get<{ status: string }>(`/api/v1/subscriptions/${subscription.id}`)).status, { timeout: 20_000 })
    .toBe('confirmed')
  const due = shanghaiDay(30)
  const body =
    plan === 'one_off'
      ? { plan: { kind: 'one_off', due_date: due } }
      : {
          plan: {
            kind: 'mortgage',
            down_payment_fen: subscription.price_fen - 100_000_000,
            down_payment_due_date: due,
            loan_fen: 100_000_000,
            loan_expected_date: shanghaiDay(90),
          },
        }
  const c = await api.post<{ id: string; contract_no: string }>(`/api/v1/subscriptions/${subscription.id}/sign`, body)
  return { id: c.id, contractNo: c.contract_no, customerName }
}

/** Four audits (four different people), then the GM's stamp (the administrator) on `stampedOn`. */
async function reviewAndStamp(contractId: string, auditors: TestUser[], stampedOn: string): Promise<void> {
  const admin = await adminApi()
  for (const [i, user] of auditors.entries())
    await (await asUser(user)).post(`/api/v1/contracts/${contractId}/audit/approve`, { note: `第 ${i + 1} 步同意` })
  await admin.post(`/api/v1/contracts/${contractId}/audit/approve`, { note: '第 4 步同意' })
  await admin.post(`/api/v1/contracts/${contractId}/stamp`, { stamped_on: stampedOn, stamp_no: `GZ-${contractId.slice(0, 6)}` })
}

async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true }).click()
}

const MASKED = /1\d{2}\*{4}\d{4}/

test('合同查询 filters and masks, 待备案 lists overdue first and refuses a taken number', async ({ page }) => {
  test.setTimeout(420_000) // logins hash passwords; the machine is shared
  const project = await releasedProject()
  const users = await activeUsers(['sales_rep', 'sales_supervisor', 'sales_manager', 'finance_supervisor'] as const, project.projectId)
  const repA = users.sales_rep
  const repB = await activeUser(['sales_rep'], project.projectId)
  const manager = users.sales_manager
  const auditors = [users.sales_supervisor, manager, users.finance_supervisor]

  const late = await contractFor(repA, project.projectId, project.units[0]!.id, 'one_off')
  const fresh = await contractFor(repA, project.projectId, project.units[1]!.id, 'one_off')
  const other = await contractFor(repB, project.projectId, project.units[2]!.id, 'mortgage')
  await reviewAndStamp(late.id, auditors, shanghaiDay(-14))
  await reviewAndStamp(fresh.id, auditors, shanghaiDay(0))

  // ---- 合同查询 as the sales manager: masked buyers, filters, a link to the contract ----
  await switchUser(page, manager)
  await openMenu(page, '合同查询')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('合同查询')
  const table = page.getByTestId('contract-search')
  const rows = table.locator('.el-table__body-wrapper .el-table__row')
  await expect(rows).toHaveCount(3)
  await expect(page.getByTestId('contract-search-total')).toHaveText('共 3 份合同')
  for (const made of [late, fresh, other]) {
    const row = rows.filter({ hasText: made.contractNo })
    await expect(row).toContainText(made.customerName)
    await expect(row.getByTestId('contract-search-customer')).toHaveText(MASKED) // CUS-8: not the owner
  }
  await expect(rows.filter({ hasText: late.contractNo })).toContainText('逾期')
  await expect(rows.filter({ hasText: other.contractNo })).toContainText('审核中')

  await pickOption(page, page.getByRole('combobox', { name: '合同状态' }), '已盖章')
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(rows).toHaveCount(2)
  await expect(page.getByTestId('contract-search-total')).toHaveText('共 2 份合同')
  await expect(rows.filter({ hasText: other.contractNo })).toHaveCount(0)
  await page.mouse.move(0, 0) // not hovering the button (its hover colour is lighter)
  await screenshot(page, 'contract-search-status')
  await expectAccessible(page)

  await page.getByRole('button', { name: '重置' }).click()
  await expect(rows).toHaveCount(3)
  const rep = page.getByRole('combobox', { name: '置业顾问' })
  await rep.fill(repB.id)
  await rep.press('Enter')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText(other.contractNo)

  await page.getByRole('button', { name: '重置' }).click()
  await page.getByPlaceholder('开始日期').fill(shanghaiDay(1))
  await page.getByPlaceholder('结束日期').fill(shanghaiDay(2))
  await page.getByPlaceholder('结束日期').press('Enter')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(table).toContainText('没有符合条件的合同')
  await page.getByRole('button', { name: '重置' }).click()
  await page.getByLabel('合同编号').fill(late.contractNo)
  await page.getByRole('button', { name: '查询' }).click()
  await expect(rows).toHaveCount(1)
  await screenshot(page, 'contract-search')
  await rows.first().getByRole('link', { name: late.contractNo }).click()
  await expect(page).toHaveURL(new RegExp(`/contracts/${late.id}$`))
  await expect(page.getByTestId('contract-registration-due')).toHaveText(/^\d{4}-\d{2}-\d{2}$/)
  await expect(page.getByTestId('contract-registration-due-state')).toHaveText('逾期')
  await screenshot(page, 'contract-registration-due')

  // ---- 待备案: overdue first; a taken number is refused; registering empties the list ----
  await openMenu(page, '待备案')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('待备案')
  const list = page.getByTestId('awaiting-registration').locator('.el-table__body-wrapper .el-table__row')
  await expect(list).toHaveCount(2)
  await expect(list.nth(0)).toContainText(late.contractNo)
  await expect(list.nth(0)).toContainText('逾期')
  await expect(list.nth(1)).toContainText(fresh.contractNo)
  await expect(list.nth(1)).toContainText('待备案')
  await expect(page.getByTestId('awaiting-registration-summary')).toContainText('其中 1 份已逾期')
  await page.mouse.move(0, 0)
  await screenshot(page, 'awaiting-registration')
  await expectAccessible(page)
  const overdueOnly = page.locator('.el-checkbox').filter({ hasText: '只看已逾期' }) // the native input is hidden
  await overdueOnly.click()
  await expect(page.getByRole('checkbox', { name: '只看已逾期' })).toBeChecked()
  await expect(list).toHaveCount(1)
  await expect(list.first()).toContainText(late.contractNo)
  await overdueOnly.click()
  await expect(list).toHaveCount(2)

  const number = `WQ-${project.code}-001`
  await list.nth(1).getByRole('button', { name: '登记备案' }).click()
  let dialog = page.getByRole('dialog', { name: '登记网签备案' })
  await dialog.getByLabel('备案号').fill(number)
  await dialog.getByRole('button', { name: '确认登记' }).click()
  await expect(dialog).toBeHidden()
  await expect(list).toHaveCount(1)

  await list.nth(0).getByRole('button', { name: '登记备案' }).click()
  dialog = page.getByRole('dialog', { name: '登记网签备案' })
  await dialog.getByLabel('备案号').fill(` ${number} `)
  await dialog.getByRole('button', { name: '确认登记' }).click()
  await expect(dialog).toContainText(`备案号已被本项目合同 ${fresh.contractNo} 使用`)
  await screenshot(page, 'awaiting-registration-taken')
  await dialog.getByLabel('备案号').fill(`WQ-${project.code}-002`)
  await dialog.getByRole('button', { name: '确认登记' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('awaiting-registration')).toContainText('没有待备案的合同')

  // ---- Rep A: their own buyer in full, rep B's masked (CUS-8) ----
  await switchUser(page, repA)
  await openMenu(page, '合同查询')
  await expect(rows).toHaveCount(3)
  await expect(rows.filter({ hasText: late.contractNo }).getByTestId('contract-search-customer')).toHaveText(/1\d{10}$/)
  await expect(rows.filter({ hasText: other.contractNo }).getByTestId('contract-search-customer')).toHaveText(MASKED)
  await expect(rows.filter({ hasText: late.contractNo })).toContainText(`WQ-${project.code}-002`)
  await screenshot(page, 'contract-search-rep')
})
