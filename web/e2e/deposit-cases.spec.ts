// 定金异常 (issue 13, CON-1 / FIN-3): a deposit reversed (红冲) after the subscription was signed
// cannot be undone by contract on its own — it goes on the operator list. Arranged through the
// API as the users of a fresh project (deposit → signing → reversal, twice); then sales control
// finds the cases on 定金异常, resolves one with a note, meets the server's 409 on the other
// (resolved meanwhile by someone else), and a sales rep has neither the menu entry nor the page.
import { expect, test, type Page } from '@playwright/test'
import { adminApi, expectAccessible, screenshot } from './support'
import { activeUsers, asUser, releasedProject, subscriptionFor, switchUser, yuan } from './deal-fixtures'

interface DepositCase {
  id: string
  subscription_id: string
  kind: string
  receipt_no: string | null
  amount_fen: number
  state: string
  resolution: string | null
}

async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name }).click()
}

test('sales control resolves a reversed deposit of a signed subscription; a rep may not', async ({ page }) => {
  test.setTimeout(240_000) // logins hash passwords; the machine is shared
  const project = await releasedProject()
  const users = await activeUsers(['sales_rep', 'cashier', 'sales_control'] as const, project.projectId)
  const rep = await asUser(users.sales_rep)
  const cashier = await asUser(users.cashier)
  const stamp = `DC${Date.now().toString(36).toUpperCase()}`
  const dueDate = new Date(Date.now() + (8 + 30 * 24) * 3600_000).toISOString().slice(0, 10)

  // Two subscriptions, each: deposit paid (cashier), signed (rep), deposit reversed 红冲 (cashier).
  const deposits = [5_000_000, 3_333_300] // ¥50,000.00 and ¥33,333.00
  // (in parallel: each step waits on the saga; logins hash passwords)
  const arranged = await Promise.all(
    deposits.map(async (amountFen, n) => {
      const { subscription } = await subscriptionFor(users.sales_rep, project.projectId, project.units[n]!.id, 'one_off', amountFen)
      const receiptNo = `${stamp}-${n + 1}`
      const entry = await cashier.post<{ id: string }>('/api/v1/payments', {
        subscription_id: subscription.id,
        category: 'deposit',
        method: 'transfer',
        payer: '王五',
        amount_fen: amountFen,
        receipt_no: receiptNo,
      })
      // Signing waits until contract has heard finance's deposit event (409 until confirmed).
      await rep.post(`/api/v1/subscriptions/${subscription.id}/sign`, { plan: { kind: 'one_off', due_date: dueDate } }, [404, 409, 503])
      await cashier.post(`/api/v1/entries/${entry.id}/reverse`, { reason: '收据录错，红冲' })
      return { subscriptionId: subscription.id, receiptNo, amountFen }
    }),
  )

  // Contract opens a deposit_reversed case for each (the subscriptions are signed).
  const admin = await adminApi()
  const cases = new Map<string, DepositCase>()
  await expect
    .poll(
      async () => {
        const list = await admin.get<{ items: DepositCase[] }>(`/api/v1/deposit-cases?state=open&project_id=${project.projectId}`)
        for (const c of list.items) cases.set(c.subscription_id, c)
        return arranged.filter((a) => cases.get(a.subscriptionId)?.kind === 'deposit_reversed').length
      },
      { timeout: 30_000, intervals: [250, 500, 1000] },
    )
    .toBe(2)
  const [first, second] = arranged as [(typeof arranged)[0], (typeof arranged)[0]]

  // 1. Sales control opens 定金异常 and sees both open cases.
  await switchUser(page, users.sales_control)
  await openMenu(page, '定金异常')
  await expect(page).toHaveURL(/\/deposit-cases$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('定金异常')
  await expect(page.getByTestId('deposit-cases-intro')).toContainText('退款审批 → 退款')
  await expect(page.getByRole('tab', { name: '待处理' })).toHaveAttribute('aria-selected', 'true')
  const table = page.getByTestId('deposit-cases')
  const rowOf = (receiptNo: string) => table.locator('.el-table__body-wrapper .el-table__row').filter({ hasText: receiptNo })
  const row = rowOf(first.receiptNo)
  await expect(row).toContainText('定金红冲')
  await expect(row).toContainText(yuan(first.amountFen))
  await expect(row).toContainText('已签约认购的定金被红冲')
  await expect(row.getByRole('link')).toHaveAttribute('href', `/subscriptions/${first.subscriptionId}`)
  await expect(rowOf(second.receiptNo)).toContainText(yuan(second.amountFen))
  await screenshot(page, 'cases-open')
  await expectAccessible(page)

  // 2. Resolve the first: the note is required, then the case leaves 待处理.
  await row.getByRole('button', { name: /处理/ }).click()
  const dialog = page.getByRole('dialog', { name: '处理定金异常' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText(first.receiptNo)
  await dialog.getByRole('button', { name: '标记已处理' }).click()
  await expect(dialog.getByText('请填写处理说明')).toBeVisible()
  const note = `已退款（红冲后买方要求退回，${stamp}）`
  await dialog.getByLabel('处理说明').fill(note)
  await expect(dialog.getByText('请填写处理说明')).toBeHidden()
  await screenshot(page, 'cases-resolve-dialog')
  await expectAccessible(page)
  await dialog.getByRole('button', { name: '标记已处理' }).click()
  await expect(page.locator('.el-message').filter({ hasText: /^\s*已处理\s*$/ })).toBeVisible()
  await expect(dialog).toBeHidden()
  await expect(rowOf(first.receiptNo)).toHaveCount(0)
  await expect(rowOf(second.receiptNo)).toBeVisible()

  // 3. The second was resolved by someone else meanwhile: the server's 409 shows in the dialog.
  await rowOf(second.receiptNo).getByRole('button', { name: /处理/ }).click()
  await expect(dialog).toBeVisible()
  await admin.post(`/api/v1/deposit-cases/${cases.get(second.subscriptionId)!.id}/resolve`, { resolution: '已换房（管理员处理）' })
  await dialog.getByLabel('处理说明').fill('已换房至 1栋 302')
  await dialog.getByRole('button', { name: '标记已处理' }).click()
  await expect(dialog.getByTestId('resolve-error')).toContainText('该定金异常已被处理（the deposit case is already resolved）')
  await dialog.getByRole('button', { name: '取消' }).click()
  await expect(table.getByText('没有待处理的定金异常')).toBeVisible()
  await page.getByRole('button', { name: '刷新' }).click()
  await expect(table.locator('.el-loading-mask')).toBeHidden()
  await expect(table.getByText('没有待处理的定金异常')).toBeVisible()
  await screenshot(page, 'cases-empty')

  // 4. 已处理 lists both, each with its note.
  await page.getByRole('tab', { name: '已处理' }).click()
  await expect(page.getByRole('tab', { name: '已处理' })).toHaveAttribute('aria-selected', 'true')
  await expect(table.locator('.el-loading-mask')).toBeHidden()
  await expect(rowOf(first.receiptNo)).toContainText(note)
  await expect(rowOf(second.receiptNo)).toContainText('已换房（管理员处理）')
  await screenshot(page, 'cases-resolved')
  await expectAccessible(page)

  // 5. A sales rep has no menu entry and gets the 403 page at the URL.
  await switchUser(page, users.sales_rep)
  const menu = page.getByRole('navigation', { name: '主菜单' })
  await expect(menu.getByRole('link', { name: '认购列表' })).toBeVisible()
  await expect(menu.getByRole('link', { name: '定金异常' })).toHaveCount(0)
  await page.goto('/deposit-cases')
  await expect(page).toHaveURL(/\/403/)
  await expect(page.getByText('403 无权访问')).toBeVisible()
})
