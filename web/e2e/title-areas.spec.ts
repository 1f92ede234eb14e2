// 产权面积 (CON-10): the handover clerk records a building's surveyed (title) areas as a batch —
// a malformed figure is caught in the form — and cannot approve it; the sales manager opens the
// batch and approves it, which fixes the areas on the units (the contract's 面积补差 follows, see
// deal.spec).
import { expect, test } from '@playwright/test'
import { expectAccessible, screenshot } from './support'
import { SHARED_AREA_CENTI_M2, activeUsers, releasedProject, switchUser } from './deal-fixtures'

test('title areas: recorded by the handover clerk, approved by the sales manager', async ({ page }) => {
  test.setTimeout(240_000) // logins hash passwords; the machine is shared
  const project = await releasedProject()
  const users = await activeUsers(['handover_clerk', 'sales_manager'] as const, project.projectId)
  const unit = project.units[0]!
  const note = `产权处核定面积表 ${project.code}`

  await switchUser(page, users.handover_clerk)
  await page.goto('/title-areas')
  await expect(page.getByRole('heading', { name: '产权面积', level: 1 })).toBeVisible()
  await expect(page.getByTestId('title-surveys')).toContainText('该楼栋尚无测绘批次')
  await page.getByRole('button', { name: '录入测绘面积' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByPlaceholder('例如：产权处核定面积表 2026-12').fill(note)
  const gross = dialog.getByLabel(`${unit.unit_number} 实测建筑面积`)
  const internal = dialog.getByLabel(`${unit.unit_number} 实测套内面积`)
  await gross.fill('11350.5.5')
  await internal.fill(((unit.gross_area_centi_m2 - SHARED_AREA_CENTI_M2 + 80) / 100).toFixed(2))
  await dialog.getByRole('button', { name: '提交审核' }).click()
  await expect(dialog.getByRole('alert')).toContainText('面积格式不正确')
  await gross.fill(((unit.gross_area_centi_m2 + 120) / 100).toFixed(2))
  await dialog.getByRole('button', { name: '提交审核' }).click()
  await expect(dialog).toBeHidden()

  const batch = page.getByTestId('title-survey')
  await expect(batch).toContainText('待审核')
  await expect(batch).toContainText('+1.20 m²') // gross: surveyed − sold
  await expect(batch).toContainText('+0.80 m²') // internal
  await expect(page.getByRole('button', { name: '审核生效' })).toHaveCount(0) // four eyes
  await screenshot(page, 'title-areas-draft')

  await switchUser(page, users.sales_manager)
  await page.goto('/title-areas')
  await page.getByTestId('title-surveys').getByText(note).click()
  await expect(batch).toContainText('待审核')
  await page.getByRole('button', { name: '审核生效' }).click()
  await expect(batch).toContainText('已生效')
  await expect(page.getByTestId('title-surveys')).toContainText('已生效')
  await screenshot(page, 'title-areas-approved')
  await expectAccessible(page)
})
