// 事件订阅: the event subjects an administrator picks from (docs/asyncapi.yaml has them all), and
// the check the webhooks service applies to a typed pattern (services/webhooks domain rules).

export const SUBJECT_OPTIONS: readonly { value: string; label: string }[] = [
  { value: 'contract.handed_over', label: '交付完成' },
  { value: 'contract.signed', label: '合同签署' },
  { value: 'contract.cancelled', label: '合同退房' },
  { value: 'contract.>', label: '全部合同事件' },
  { value: 'inventory.unit.status_changed', label: '房源状态变更' },
  { value: 'inventory.unit.price_changed', label: '房源调价' },
  { value: 'inventory.>', label: '全部房源事件' },
  { value: 'finance.payment.recorded', label: '收款入账' },
  { value: 'finance.refund.paid', label: '退款支付' },
  { value: 'finance.contract.cleared', label: '房款结清' },
  { value: 'finance.>', label: '全部财务事件' },
  { value: 'customer.created', label: '新增客户' },
  { value: 'customer.>', label: '全部客户事件' },
]

export function subjectLabel(subject: string): string {
  return SUBJECT_OPTIONS.find((o) => o.value === subject)?.label ?? subject
}

const OFFERED = ['inventory', 'contract', 'finance', 'customer']

/** '' when the service would accept the pattern, else the problem in zh-CN. */
export function subjectProblem(pattern: string): string {
  const tokens = pattern.split('.')
  if (!pattern || pattern.length > 200) return `事件主题「${pattern}」须为 1–200 个字符`
  if (!OFFERED.includes(tokens[0] ?? '')) return `事件主题「${pattern}」须以 inventory.、contract.、finance. 或 customer. 开头`
  for (const [i, t] of tokens.entries()) {
    if (t === '>' && i !== tokens.length - 1) return `事件主题「${pattern}」中 > 只能在最后`
    if (t !== '>' && t !== '*' && !/^[a-z0-9_-]+$/.test(t)) return `事件主题「${pattern}」含不允许的字符或空段`
  }
  return ''
}

export function deliveryStatusLabel(status: string | undefined): string {
  return status === 'pending' ? '待发送' : status === 'delivered' ? '已送达' : status === 'dead' ? '死信' : (status ?? '')
}

export function deliveryStatusTag(status: string | undefined): 'warning' | 'success' | 'danger' | 'info' {
  return status === 'pending' ? 'warning' : status === 'delivered' ? 'success' : status === 'dead' ? 'danger' : 'info'
}
