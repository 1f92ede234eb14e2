// Budgets of issue 12 measured in the browser, through the gateway: the JavaScript a first visit
// downloads (≤ 500 KB gzipped; charts load only with the reports), and how the gateway serves
// the console (CSP honoured, hashed files cached, no inline script needed).
import { expect, test, type Page, type Response } from '@playwright/test'
import { createUser, loginAndChangePassword } from './support'

const budgetBytes = 500 * 1024

/** Every script response of `page` while `action` runs, with its encoded (transferred) size. */
async function scriptsDuring(page: Page, action: () => Promise<void>) {
  const responses: Response[] = []
  const onResponse = (r: Response) => {
    if (r.request().resourceType() === 'script') responses.push(r)
  }
  page.on('response', onResponse)
  await action()
  page.off('response', onResponse)
  const scripts: { url: string; bytes: number; encoding: string }[] = []
  for (const r of responses) {
    const sizes = await r.request().sizes()
    scripts.push({ url: r.url(), bytes: sizes.responseBodySize, encoding: r.headers()['content-encoding'] ?? '' })
  }
  return scripts
}

test('a first visit downloads at most 500 KB of gzipped JavaScript and no charts', async ({ page }) => {
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  const scripts = await scriptsDuring(page, async () => {
    await page.goto('/login')
    await expect(page.getByRole('button', { name: '登录' })).toBeVisible()
    await page.waitForLoadState('networkidle')
  })
  const total = scripts.reduce((sum, s) => sum + s.bytes, 0)
  console.log(`budget: initial JavaScript ${(total / 1024).toFixed(1)} KB transferred in ${scripts.length} files`)
  expect(scripts.length).toBeGreaterThan(0)
  expect(total).toBeLessThanOrEqual(budgetBytes)
  const packed = scripts.filter((s) => s.url.includes('/assets/'))
  if (new URL(page.url()).port !== '5173') {
    // Served by the gateway: the pre-compressed copies.
    for (const s of packed) expect(s.encoding, s.url).toBe('gzip')
  }
  expect(scripts.some((s) => /echarts/i.test(s.url)), 'ECharts loaded on the login page').toBe(false)
  expect(violations, violations.join('\n')).toEqual([])
})

test('logging in reaches the home page without charts or CSP violations', async ({ page }) => {
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  const user = await createUser(['sales_control'], { prefix: 'budget' })
  const scripts = await scriptsDuring(page, async () => {
    await loginAndChangePassword(page, user)
    await page.waitForLoadState('networkidle')
  })
  expect(scripts.some((s) => /echarts/i.test(s.url)), 'ECharts loaded before any report').toBe(false)
  expect(violations, violations.join('\n')).toEqual([])
})

test('the gateway caches hashed files for a year and revalidates index.html', async ({ request }) => {
  const index = await request.get('/')
  expect(index.status()).toBe(200)
  expect(index.headers()['cache-control']).toBe('no-cache')
  expect(index.headers()['content-security-policy']).toContain("script-src 'self'")
  const html = await index.text()
  expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/) // no inline script
  const asset = /\/assets\/[^"]+\.js/.exec(html)
  expect(asset, 'index.html names a hashed script').not.toBeNull()
  const file = await request.get(asset![0])
  expect(file.status()).toBe(200)
  expect(file.headers()['cache-control']).toContain('immutable')
  const route = await request.get('/board')
  expect(route.status(), 'a console route is answered with index.html').toBe(200)
  expect(await route.text()).toBe(html)
})
