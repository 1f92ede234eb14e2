// Printing (issue 12): Chromium prints the 认购书 and a receipt 收据 to PDF (A4), and the test
// reads the amounts — in figures and in Chinese capitals — back out of the PDF's text
// (e2e/pdf-text.ts: inflate + ToUnicode, no dependency), after checking the print-media DOM.
import { expect, test, type Page } from '@playwright/test'
import { chineseCapital } from '../src/utils/money'
import { expectAccessible, screenshot, type TestUser } from './support'
import { activeUsers, asUser, releasedProject, subscriptionFor, switchUser, yuan } from './deal-fixtures'
import { pdfText } from './pdf-text'

let rep: TestUser
let cashier: TestUser
let subscriptionId = ''
let priceFen = 0
let depositEntryId = ''
const depositFen = 8_888_800 // ¥88,888.00 — 捌万捌仟捌佰捌拾捌元整
const receiptNo = `PR-${Date.now().toString(36)}`

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  test.setTimeout(180_000)
  const project = await releasedProject()
  ;({ sales_rep: rep, cashier } = await activeUsers(['sales_rep', 'cashier'] as const, project.projectId))
  const { subscription } = await subscriptionFor(rep, project.projectId, project.units[1]!.id, 'one_off', depositFen)
  subscriptionId = subscription.id
  priceFen = subscription.price_fen
  const entry = await (await asUser(cashier)).post<{ id: string }>('/api/v1/payments', {
    subscription_id: subscription.id,
    category: 'deposit',
    method: 'card',
    payer: '李四',
    amount_fen: depositFen,
    receipt_no: receiptNo,
  })
  depositEntryId = entry.id
})

/** Print media: the toolbar is gone, the document is there. */
async function asPrinted(page: Page): Promise<void> {
  await page.emulateMedia({ media: 'print' })
  await expect(page.getByRole('toolbar', { name: '打印' })).toBeHidden()
  await expect(page.locator('.print-document')).toBeVisible()
}

async function printedText(page: Page): Promise<{ pages: number; text: string }> {
  const pdf = await page.pdf({ format: 'A4', printBackground: true })
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  const { pages, text } = pdfText(pdf)
  return { pages, text: text.replace(/\s+/g, '') }
}

test('认购书 prints on one A4 page with the price and the deposit in figures and capitals', async ({ page }) => {
  await switchUser(page, rep)
  await page.goto(`/print/subscription/${subscriptionId}`)
  await expect(page.getByRole('heading', { level: 1, name: '商品房认购书' })).toBeVisible()
  await expect(page.getByTestId('print-price')).toHaveText(yuan(priceFen))
  await expect(page.getByTestId('print-deposit')).toHaveText('¥88,888.00')
  await expect(page.getByTestId('print-deposit-capital')).toHaveText('人民币捌万捌仟捌佰捌拾捌元整')
  await asPrinted(page)
  await screenshot(page, 'deal-print-subscription')
  await expectAccessible(page)

  const { pages, text } = await printedText(page)
  expect(pages).toBe(1)
  expect(text).toContain('商品房认购书')
  expect(text).toContain(yuan(priceFen).replace('¥', ''))
  expect(text).toContain(chineseCapital(priceFen))
  expect(text).toContain('88,888.00')
  expect(text).toContain('捌万捌仟捌佰捌拾捌元整')
})

test('收据 prints on one A4 page with the amount in figures and capitals', async ({ page }) => {
  await switchUser(page, cashier)
  await page.goto(`/print/receipt/${depositEntryId}`)
  await expect(page.getByRole('heading', { level: 1, name: '收款收据' })).toBeVisible()
  await expect(page.getByTestId('print-receipt-no')).toHaveText(receiptNo)
  await expect(page.getByTestId('print-amount')).toHaveText('¥88,888.00')
  await expect(page.getByTestId('print-amount-capital')).toHaveText('人民币捌万捌仟捌佰捌拾捌元整')
  await asPrinted(page)
  await screenshot(page, 'deal-print-receipt')
  await expectAccessible(page)

  const { pages, text } = await printedText(page)
  expect(pages).toBe(1)
  expect(text).toContain('收款收据')
  expect(text).toContain(receiptNo)
  expect(text).toContain('88,888.00')
  // The capitals themselves (the CJK font's ToUnicode maps a few common glyphs such as 人/民
  // to radical code points, so the "人民币" prefix is not compared).
  expect(text).toContain('捌万捌仟捌佰捌拾捌元整')
  expect(text).toContain('李四')
})
