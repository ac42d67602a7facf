import { describe, expect, it } from 'vitest'
import { normalizeSearch, searchPhones, searchQuery, searchText } from '../../src/server/modules/customers/search-key'

/** Whether a query finds this key, as the LIKE in the repository does. */
const finds = (key: string, q: string) => key.includes(searchQuery(q)!.text)

describe('the customer search key', () => {
  it('holds a Chinese name as typed, in full pinyin and in both kinds of initials', () => {
    const key = searchText('张雨', '')
    for (const q of ['张雨', '雨', 'zhangyu', 'zhang yu', 'ZhangYu', 'zhangy', 'zy', 'zhy']) expect(finds(key, q), q).toBe(true)
    expect(finds(key, 'zhangyuqing')).toBe(false)
  })

  it('reads surnames as surnames, and keeps the everyday reading too', () => {
    const key = searchText('曾小贤', '')
    expect(finds(key, 'zengxiaoxian')).toBe(true)
    expect(finds(key, 'zxx')).toBe(true)
    expect(finds(key, 'cengxiaoxian')).toBe(true)
    expect(finds(searchText('单田芳', ''), 'shantianfang')).toBe(true)
  })

  it('takes the remark, mixed with letters and sizes, and never matches across name and remark', () => {
    const key = searchText('Lily🌸', '郑安琪 静安 S码')
    for (const q of ['lily', 'LILY', '静安', 'jingan', 'zhenganqi', 'zaq', 's码', 'zhengan']) expect(finds(key, q), q).toBe(true)
    // The name ends "…y🌸" and the remark starts "郑…": no match spans the two.
    expect(finds(key, '🌸郑')).toBe(false)
  })

  it('has nothing to say about an empty customer', () => {
    expect(searchText('', '')).toBe('')
    expect(searchPhones([null, undefined, '', '12'])).toBe('')
  })

  it('keeps only the last four digits of each phone, once', () => {
    expect(searchPhones(['13800138000', '138-0013-8000', null, '+86 139 1234 5678'])).toBe('|8000|5678|')
  })

  it('reads four digits as a phone ending, and other input as text', () => {
    expect(searchQuery(' 8000 ')).toEqual({ text: '8000', phoneTail: '8000' })
    expect(searchQuery('800')).toEqual({ text: '800', phoneTail: null })
    expect(searchQuery('   ')).toBeNull()
    // Full-width input from a Chinese keyboard is the same text.
    expect(normalizeSearch('ＺＨＹ ８０００')).toBe('zhy8000')
    expect(searchQuery('a|b')!.text).toBe('ab')
  })
})
