import { describe, expect, it } from 'vitest'
import { isMasked, maskIdNumber, maskPhone } from './mask'

describe('masks', () => {
  it('recognises API masks', () => {
    expect(isMasked('138****5678')).toBe(true)
    expect(isMasked('13812345678')).toBe(false)
    expect(isMasked(null)).toBe(false)
  })
  it('masks like the API', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskIdNumber('51010119900307123X')).toBe('510***********123X')
    expect(maskIdNumber('123')).toBe('***')
  })
})
