// Data for the deal specs (deal.spec.ts, print.spec.ts), arranged through the gateway's API:
// a fresh released project per test, users per role who already changed their initial
// password, and (until the sales screens take it over) the customer and the subscription.
import { expect, request, type APIRequestContext, type Page } from '@playwright/test'
import { adminApi, baseURL, createUser, strongPassword, uniqueSuffix, type TestUser } from './support'

export interface DealProject {
  projectId: string
  buildingId: string
  code: string
  // as the bulk creation answers: internal area = gross − SHARED_AREA_CENTI_M2
  units: { id: string; unit_number: string; list_total_fen: number; gross_area_centi_m2: number }[]
}

/** The shared (公摊) area of every unit releasedProject() creates. */
export const SHARED_AREA_CENTI_M2 = 1_900

/** A new project with one released building of 2 × 2 units (list prices from the template). */
export async function releasedProject(): Promise<DealProject> {
  const api = await adminApi()
  const code = `E${uniqueSuffix().toUpperCase().replace(/[^A-Z0-9]/g, '').slice(-7)}`
  const project = await api.post<{ id: string }>('/api/v1/projects', { code, name: `签约测试 ${code}`, city: '成都' })
  const building = await api.post<{ id: string }>(`/api/v1/projects/${project.id}/buildings`, { name: '1栋', floors: 3 })
  const templates = [1, 2].map((p) => ({
    position: p,
    floors: { from: 2, to: 3 },
    layout: '3室2厅2卫',
    orientation: 'south',
    decoration: 'bare',
    internal_area_centi_m2: 9_000 + p * 450,
    shared_area_centi_m2: SHARED_AREA_CENTI_M2,
    list_unit_price_fen_per_m2: 1_500_000,
    floor_price_step_fen_per_m2: 8_000,
  }))
  const bulk = await api.post<{ units: DealProject['units'] }>(`/api/v1/buildings/${building.id}/units:bulk`, { templates })
  await api.post('/api/v1/units:release', { building_id: building.id, reason: '测试开盘' })
  return { projectId: project.id, buildingId: building.id, code, units: bulk.units }
}

/** POST /auth/login, waiting out the gateway's 429 login throttle (password hashing is costly). */
async function loginToken(ctx: APIRequestContext, username: string, password: string): Promise<string> {
  let answer = ''
  await expect
    .poll(
      async () => {
        const r = await ctx.post('/api/v1/auth/login', { data: { username, password } })
        answer = await r.text()
        return r.status() === 429 ? 'busy' : r.status()
      },
      { timeout: 30_000, intervals: [1000] },
    )
    .toBe(200)
  return (JSON.parse(answer) as { access_token: string }).access_token
}

/** A user of these roles in the project, whose initial password is already changed (API). */
export async function activeUser(roles: string[], projectId: string): Promise<TestUser> {
  const user = await createUser(roles, { projectIds: [projectId], prefix: 'deal' })
  const ctx = await request.newContext({ baseURL })
  const token = await loginToken(ctx, user.username, user.password)
  const next = strongPassword()
  const changed = await ctx.post('/api/v1/auth/password', {
    data: { current_password: user.password, new_password: next },
    headers: { Authorization: `Bearer ${token}` },
  })
  expect(changed.status(), await changed.text()).toBe(200)
  await ctx.dispose()
  user.password = next
  return user
}

/** Calls as this user, retrying what the saga has not propagated yet (404/503 until known). */
export async function asUser(user: TestUser) {
  const ctx = await request.newContext({ baseURL })
  const auth = { Authorization: `Bearer ${await loginToken(ctx, user.username, user.password)}` }
  return {
    async get<T>(path: string): Promise<T> {
      const r = await ctx.get(path, { headers: auth })
      expect(r.ok(), `GET ${path}: ${r.status()} ${await r.text()}`).toBe(true)
      return (await r.json()) as T
    },
    /** POST, retried for up to 20 s while the answer is one of `retryOn` (not yet synchronised). */
    async post<T>(path: string, body: unknown, retryOn: number[] = [404, 503]): Promise<T> {
      let last = ''
      await expect
        .poll(
          async () => {
            const r = await ctx.post(path, { data: body, headers: auth })
            last = `${r.status()} ${await r.text()}`
            return retryOn.includes(r.status()) ? 'wait' : r.status()
          },
          { timeout: 20_000, intervals: [200, 500, 1000] },
        )
        .not.toBe('wait')
      expect(last.startsWith('20'), `POST ${path}: ${last}`).toBe(true)
      return JSON.parse(last.slice(4)) as T
    },
  }
}

export interface Subscription {
  id: string
  price_fen: number
  deposit_fen: number
  status: string
}

/**
 * A customer and a subscription of the rep, through the API (the sales screens of the customer
 * and the subscription are another helper's; the journey starts at the cashier).
 */
export async function subscriptionFor(
  rep: TestUser,
  projectId: string,
  unitId: string,
  plan: 'one_off' | 'instalments' | 'mortgage',
  depositFen = 5_000_000,
): Promise<{ customerId: string; customerName: string; phone: string; subscription: Subscription }> {
  const api = await asUser(rep)
  const phone = `139${String(Date.now()).slice(-8)}`
  const customerName = `测试客户${uniqueSuffix().slice(-4)}`
  const customer = await api.post<{ id: string }>('/api/v1/customers', {
    project_id: projectId,
    name: customerName,
    phone,
    channel: 'visit',
    first_event: { kind: 'visit', note: '首次来访' },
  })
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
  const deadline = new Date(Date.parse(today) + 20 * 86400_000).toISOString().slice(0, 10)
  const subscription = await api.post<Subscription>(
    '/api/v1/subscriptions',
    { unit_id: unitId, customer_id: customer.id, payment_plan: plan, deposit_fen: depositFen, signing_deadline: deadline },
    [503],
  )
  return { customerId: customer.id, customerName, phone, subscription }
}

/** "¥1,234,567.89" for integer fen, as the console prints it (BigInt, no floating point). */
export function yuan(fen: number | bigint): string {
  const v = BigInt(fen)
  const neg = v < 0n
  const a = neg ? -v : v
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${neg ? '-' : ''}¥${whole}.${(a % 100n).toString().padStart(2, '0')}`
}

/** Users for these roles, one after the other (logins are throttled while passwords hash). */
export async function activeUsers<R extends string>(roles: readonly R[], projectId: string): Promise<Record<R, TestUser>> {
  const out = {} as Record<R, TestUser>
  for (const r of roles) out[r] = await activeUser([r], projectId)
  return out
}

/** Logs out through the header and logs in as another user (no forced password change). */
export async function switchUser(page: Page, user: TestUser): Promise<void> {
  const logout = page.getByRole('button', { name: '退出' })
  if (await logout.isVisible()) {
    await logout.click()
    await expect(page).toHaveURL(/\/login/)
  } else {
    await page.goto('/login')
  }
  await page.getByLabel('用户名').fill(user.username)
  await page.getByLabel('密码', { exact: true }).fill(user.password)
  await page.getByRole('button', { name: '登录' }).click()
  // Logins hash the password (argon2id): slow on a loaded machine.
  await expect(page).not.toHaveURL(/\/login/, { timeout: 30_000 })
  await expect(page.getByTestId('current-user')).toHaveText(user.username)
}

/** The Asia/Shanghai calendar day `offsetDays` from today, "YYYY-MM-DD". */
export function shanghaiDay(offsetDays = 0): string {
  return new Date(Date.now() + (8 * 3600 + offsetDays * 86400) * 1000).toISOString().slice(0, 10)
}

/** The cashier takes the subscription's deposit (API), then the rep sees it `confirmed`. */
export async function payDeposit(
  users: { sales_rep: TestUser; cashier: TestUser },
  subscription: Subscription,
  receiptNo: string,
  payer = '客户',
): Promise<void> {
  await (await asUser(users.cashier)).post('/api/v1/payments', {
    subscription_id: subscription.id,
    category: 'deposit',
    method: 'transfer',
    payer,
    amount_fen: subscription.deposit_fen,
    receipt_no: receiptNo,
  })
  const rep = await asUser(users.sales_rep)
  await expect
    .poll(async () => (await rep.get<{ status: string }>(`/api/v1/subscriptions/${subscription.id}`)).status, { timeout: 30_000 })
    .toBe('confirmed')
}

/** A mortgage plan of the price: 30% down payment (whole fen, rounded down) due in 7 days, the rest the loan in 60. */
export function mortgagePlan(priceFen: number) {
  const down = Number((BigInt(priceFen) * 3n) / 10n)
  return {
    kind: 'mortgage' as const,
    down_payment_fen: down,
    down_payment_due_date: shanghaiDay(7),
    loan_fen: priceFen - down,
    loan_expected_date: shanghaiDay(60),
  }
}

export const AUDIT_ROLES = ['sales_supervisor', 'sales_manager', 'finance_supervisor', 'finance_director'] as const
type AuditRole = (typeof AUDIT_ROLES)[number]

/** The rep signs the confirmed subscription with `plan`; the four audit steps approve it (API). */
export async function reviewedContract(
  users: Record<'sales_rep' | AuditRole, TestUser>,
  subscriptionId: string,
  plan: object,
  note = '同意',
): Promise<{ id: string; contract_no: string }> {
  const contract = await (await asUser(users.sales_rep)).post<{ id: string; contract_no: string }>(
    `/api/v1/subscriptions/${subscriptionId}/sign`,
    { plan },
  )
  for (const role of AUDIT_ROLES) await (await asUser(users[role])).post(`/api/v1/contracts/${contract.id}/audit/approve`, { note })
  return contract
}
