import { computed, ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { ApiError, errorText, toApiError } from './errors'

export interface RunOptions {
  /**
   * The form's field names. A server problem on one of these fields is shown under the field
   * (fieldErrors) instead of a message box; problems on other fields still get the message box.
   * Without it, any field problem counts as shown by the form.
   */
  fields?: readonly string[]
  /** server field name → form field name (e.g. { password: 'new_password' }) */
  fieldMap?: Readonly<Record<string, string>>
  /** ElMessage.success text after it worked */
  success?: string
  /** never show a message box for an error (the screen shows `error` itself) */
  silent?: boolean
}

export interface Action {
  loading: Ref<boolean>
  /** the last error, null after a success */
  error: Ref<ApiError | null>
  /** zh-CN text of the last error ('' when none): show it next to the action */
  message: Readonly<Ref<string>>
  /** field name → the server's problem, for `<el-form-item :error="fieldErrors.phone">` */
  fieldErrors: Ref<Record<string, string>>
  /** runs fn; returns its result, or undefined when it failed (error/fieldErrors set) */
  run<T>(fn: () => Promise<T>, options?: RunOptions): Promise<T | undefined>
  /** clears the error state (e.g. when the user edits the form) */
  reset(): void
}

/**
 * State for one user action (a form submit, a button): loading, the server's error, and
 * problems tied to fields. Errors not tied to a field of the form pop up as ElMessage (the
 * server's message in it); field problems are exposed for the form to show under the field.
 *
 *   const save = useAction()
 *   await save.run(() => unwrap(api.POST('/api/v1/customers', { body, headers: idempotencyHeaders(key) })),
 *                  { fields: ['name', 'phone'], success: '已保存' })
 *   <el-form-item label="手机" prop="phone" :error="save.fieldErrors.value.phone">
 */
export function useAction(): Action {
  const loading = ref(false)
  const error = ref<ApiError | null>(null) as Ref<ApiError | null>
  const fieldErrors = ref<Record<string, string>>({})
  const message = computed(() => (error.value ? errorText(error.value) : ''))

  function reset(): void {
    error.value = null
    fieldErrors.value = {}
  }

  async function run<T>(fn: () => Promise<T>, options: RunOptions = {}): Promise<T | undefined> {
    loading.value = true
    reset()
    try {
      const result = await fn()
      if (options.success) ElMessage.success(options.success)
      return result
    } catch (e) {
      const err = toApiError(e)
      error.value = err
      const mapped: Record<string, string> = {}
      for (const [field, problem] of Object.entries(err.fieldErrors)) {
        const name = options.fieldMap?.[field] ?? field
        if (!options.fields || options.fields.includes(name)) mapped[name] = problem
      }
      fieldErrors.value = mapped
      if (!options.silent && Object.keys(mapped).length === 0) {
        ElMessage({ type: 'error', message: errorText(err), showClose: true, duration: 6000 })
      }
      return undefined
    } finally {
      loading.value = false
    }
  }

  return { loading, error, message, fieldErrors, run, reset }
}
