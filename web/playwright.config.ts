import { defineConfig } from '@playwright/test'

// Browser tests against the real stack, through the gateway (or the dev server proxying to it):
//   SALES_CONSOLE_URL=http://127.0.0.1:5173 npm run test:e2e
// Debian's chromium (apt-get install chromium fonts-noto-cjk): Playwright's own browser
// download cannot work here.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  fullyParallel: false,
  workers: Number(process.env.SALES_E2E_WORKERS ?? 1),
  retries: 0,
  // Generous: logins hash passwords (argon2id) and the machine is shared with builds.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: process.env.SALES_CONSOLE_URL ?? 'http://127.0.0.1:8080',
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.SALES_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
})
