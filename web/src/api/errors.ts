// The API's error envelope {"error":{code,message,details}} as an exception, and zh-CN text for it.

export interface FieldProblem {
  field: string
  problem: string
}

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    /** HTTP status; 0 when no answer arrived (network down, aborted) */
    readonly status: number,
    /** error.code of the envelope (docs/openapi.yaml ErrorCode), or a console code */
    readonly code: string,
    /** error.message of the server (English), or a zh-CN text when no envelope came */
    message: string,
    readonly details: Record<string, unknown> = {},
    /** X-Request-Id of the request (for support: the service log has it) */
    readonly requestId: string | null = null,
    /** Retry-After (seconds) of a 429/503, or details.retry_after_seconds */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
  }

  /**
   * Problems tied to request fields: `details.problems` ([{field, problem}]) when the service
   * lists them, else `details.field` (with `details.problem` or the message). Keys are the
   * request's field paths as the server names them (`phone`, `first_event.kind`).
   */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    const problems = this.details['problems']
    if (Array.isArray(problems)) {
      for (const p of problems) {
        if (p && typeof p === 'object') {
          const field = (p as Record<string, unknown>)['field']
          const problem = (p as Record<string, unknown>)['problem']
          if (typeof field === 'string' && field !== '' && out[field] === undefined)
            out[field] = typeof problem === 'string' ? problem : this.message
        }
      }
    }
    const field = this.details['field']
    if (typeof field === 'string' && field !== '' && out[field] === undefined) {
      const problem = this.details['problem']
      out[field] = typeof problem === 'string' ? problem : this.message
    }
    return out
  }

  /** Whether some problem is tied to a field (so a form can show it under the field). */
  get hasFieldErrors(): boolean {
    return Object.keys(this.fieldErrors).length > 0
  }
}

// zh-CN summaries of the codes a user meets; the server's (English) message follows in
// parentheses, so what the server said is always visible.
const CODE_TEXT: Record<string, string> = {
  network_error: '无法连接服务器，请检查网络后重试',
  bad_response: '服务器返回了无法识别的应答',
  bad_request: '请求不正确',
  invalid_json: '请求格式不正确',
  invalid_query: '查询条件不正确',
  validation_failed: '填写的内容有误',
  weak_password: '密码不符合密码策略',
  unauthenticated: '登录已失效，请重新登录',
  invalid_credentials: '用户名或密码错误（或账号已锁定、停用）',
  invalid_refresh_token: '登录已过期，请重新登录',
  forbidden: '没有权限执行此操作',
  project_forbidden: '没有该项目的权限',
  grant_exceeds_scope: '授予的权限超出了您的管理范围',
  not_owner: '只有客户的归属置业顾问可以执行此操作',
  reservation_manager_only: '开盘首周只有销售经理可以预留房源',
  rep_not_assignable: '不能指定该置业顾问',
  not_found: '记录不存在',
  conflict: '操作与当前状态冲突',
  concurrent_change: '数据已被他人修改，请刷新后重试',
  invalid_transition: '当前状态不允许此操作',
  unit_not_available: '房源当前不可售',
  username_taken: '用户名已被使用',
  registration_no_taken: '备案号已被本项目的其他合同使用',
  referrer_not_member: '推荐人须为已签约的业主会员',
  referrer_is_buyer: '购房客户不能作为自己的推荐人',
  referral_not_found: '没有该会员积分申请',
  insufficient_points: '会员可兑换积分不足',
  voucher_no_taken: '兑换单号已在本项目使用',
  customer_exists: '该客户已存在',
  ownership_collision: '撞单：该客户已由其他置业顾问登记',
  duplicate_receipt: '收据号重复',
  already_reversed: '该笔已红冲',
  idempotency_key_in_progress: '相同的请求正在处理中，请稍候',
  idempotency_key_reused: '重复提交的内容与首次不同',
  deposit_exceeds_cap: '定金超过上限',
  discount_exceeds_list_total: '优惠超过房源总价',
  cannot_disable_self: '不能停用自己的账号',
  cannot_reset_self: '不能重置自己的密码，请使用“修改密码”',
  payload_too_large: '提交的内容过大',
  export_too_large: '报表行数超过导出上限，请缩小日期范围或选择单个项目后再导出',
  project_not_found: '没有该项目，或无权查看该项目',
  unsupported_media_type: '请求格式不受支持',
  rate_limited: '操作过于频繁，请稍后再试',
  login_throttled: '登录尝试过于频繁，请稍后再试',
  login_busy: '服务器正忙，请稍后再试',
  internal: '服务器内部错误',
  upstream_outcome_unknown: '操作结果未知：请先查询确认，再决定是否重试',
  dependency_unavailable: '依赖的服务暂不可用，请稍后重试',
  busy: '服务繁忙，请稍后重试',
  not_ready: '服务尚未就绪，请稍后重试',
  service_unavailable: '服务暂不可用，请稍后重试',
  project_not_synchronised: '项目数据尚未同步，请稍后重试',
  too_many_connections: '连接过多，请稍后重试',
  upstream_timeout: '服务响应超时，请稍后重试',
}

const STATUS_TEXT: Record<number, string> = {
  400: '请求不正确',
  401: '登录已失效，请重新登录',
  403: '没有权限执行此操作',
  404: '记录不存在',
  409: '操作与当前状态冲突',
  422: '不符合业务规则',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误',
  502: '网关错误',
  503: '服务暂不可用，请稍后重试',
  504: '服务响应超时，请稍后重试',
}

/** Adds or overrides zh-CN summaries (screens may register the codes of their area). */
export function registerErrorTexts(texts: Record<string, string>): void {
  Object.assign(CODE_TEXT, texts)
}

/**
 * What to show the user: "zh-CN summary（server message）", or the server message alone when
 * the code has no summary, plus the wait for 429s.
 */
export function errorText(err: unknown): string {
  const e = toApiError(err)
  const summary = CODE_TEXT[e.code]
  let text = summary && summary !== e.message ? `${summary}（${e.message}）` : e.message
  if (e.retryAfterSeconds !== null && e.status === 429) text += `，请 ${e.retryAfterSeconds} 秒后再试`
  return text
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function retryAfterOf(response: Response | null, details: Record<string, unknown>): number | null {
  const fromDetails = details['retry_after_seconds']
  if (typeof fromDetails === 'number' && Number.isFinite(fromDetails)) return fromDetails
  const header = response?.headers.get('Retry-After')
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim())
  return null
}

/** An ApiError from a non-2xx response and its parsed body (the envelope, or anything else). */
export function apiErrorFrom(response: Response, body: unknown, requestId: string | null = null): ApiError {
  const rid = response.headers.get('X-Request-Id') ?? requestId
  const envelope = isRecord(body) && isRecord(body['error']) ? body['error'] : null
  if (envelope && typeof envelope['code'] === 'string') {
    const details = isRecord(envelope['details']) ? envelope['details'] : {}
    const message = typeof envelope['message'] === 'string' ? envelope['message'] : envelope['code']
    return new ApiError(response.status, envelope['code'], message, details, rid, retryAfterOf(response, details))
  }
  const text = STATUS_TEXT[response.status] ?? `请求失败（HTTP ${response.status}）`
  return new ApiError(response.status, `http_${response.status}`, text, {}, rid, retryAfterOf(response, {}))
}

/** Any thrown value as an ApiError (network failures become status 0 `network_error`). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof DOMException && err.name === 'AbortError')
    return new ApiError(0, 'aborted', '请求已取消')
  if (err instanceof TypeError) return new ApiError(0, 'network_error', CODE_TEXT['network_error'] ?? '网络错误')
  const message = err instanceof Error ? err.message : String(err)
  return new ApiError(0, 'client_error', message)
}
