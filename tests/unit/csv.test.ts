import { describe, expect, it } from 'vitest'
import { CsvError, parseCsv } from '../../src/server/modules/crm-import/csv'
import * as field from '../../src/server/modules/crm-import/fields'

const rows = (text: string) => [...parseCsv(text)].map((r) => [r.line, ...r.fields])

describe('parseCsv', () => {
  it('reads a header and rows with their line numbers', () => {
    expect(rows('a,b\n1,2\n3,4\n')).toEqual([
      [1, 'a', 'b'],
      [2, '1', '2'],
      [3, '3', '4'],
    ])
  })

  it('drops Excel’s byte order mark, takes CRLF, skips blank lines', () => {
    expect(rows('\uFEFFname,city\r\n王蕾,上海\r\n\r\n李娜,杭州')).toEqual([
      [1, 'name', 'city'],
      [2, '王蕾', '上海'],
      [4, '李娜', '杭州'],
    ])
  })

  it('handles quotes: commas, doubled quotes and line breaks inside', () => {
    const text = 'id,note\n1,"喜欢宽松, 不穿亮色"\n2,"她说""好的"""\n3,"第一行\n第二行"\n4,end\n'
    expect(rows(text)).toEqual([
      [1, 'id', 'note'],
      [2, '1', '喜欢宽松, 不穿亮色'],
      [3, '2', '她说"好的"'],
      [4, '3', '第一行\n第二行'],
      [6, '4', 'end'],
    ])
  })

  it('keeps empty fields', () => {
    expect(rows('a,b,c\n,,\nx,,z')).toEqual([
      [1, 'a', 'b', 'c'],
      [2, '', '', ''],
      [3, 'x', '', 'z'],
    ])
  })

  it('says where a quote is never closed', () => {
    expect(() => rows('a\n"open\n')).toThrow(CsvError)
    expect(() => rows('a\n"open\n')).toThrow(/line 2/)
    expect(() => rows('a\n"x"y\n')).toThrow(/after a closing quote/)
  })
})

describe('CRM field parsers', () => {
  it('reads money in yuan as fen', () => {
    expect(field.money('1,299.00', 'price')).toBe(129900)
    expect(field.money('¥899', 'price')).toBe(89900)
    expect(field.money(' 0.5 ', 'price')).toBe(50)
    expect(() => field.money('12.345', 'price')).toThrow(/not an amount/)
    expect(() => field.money('-3', 'price')).toThrow(/not an amount/)
  })

  it('reads levels in English or Chinese', () => {
    expect(field.level('GOLD', 'level')).toBe('gold')
    expect(field.level('铂金会员', 'level')).toBe('platinum')
    expect(field.level('', 'level')).toBe('normal')
    expect(() => field.level('钻石', 'level')).toThrow(/not one of/)
  })

  it('normalises mobile numbers and refuses others', () => {
    expect(field.phone('+86 138-0013-8000', 'phone')).toBe('13800138000')
    expect(field.phone('', 'phone')).toBeNull()
    expect(() => field.phone('021-12345678', 'phone')).toThrow(/not a mobile/)
  })

  it('reads birthdays with or without a year, and only real dates', () => {
    expect(field.birthday('5-12', 'birthday')).toBe('05-12')
    expect(field.birthday('1990/05/12', 'birthday')).toBe('1990-05-12')
    expect(field.birthday('02-29', 'birthday')).toBe('02-29')
    expect(() => field.birthday('02-30', 'birthday')).toThrow(/not a real date/)
    expect(() => field.birthday('1990-02-29', 'birthday')).toThrow(/not a real date/)
  })

  it('reads instants as ISO or as China time', () => {
    expect(field.instant('2026-03-01 10:00', 'purchased_at')).toBe(Date.UTC(2026, 2, 1, 2, 0))
    expect(field.instant('2026/3/1', 'purchased_at')).toBe(Date.UTC(2026, 1, 28, 16, 0))
    expect(field.instant('2026-03-01T02:00:00Z', 'purchased_at')).toBe(Date.UTC(2026, 2, 1, 2, 0))
    expect(() => field.instant('2026-02-30 10:00', 'purchased_at')).toThrow(/not a real date/)
    expect(() => field.instant('yesterday', 'purchased_at')).toThrow(/not a date/)
    expect(() => field.instant('1999-01-01', 'purchased_at')).toThrow(/out of range/)
  })

  it('splits lists on | 、 ; and drops repeats', () => {
    expect(field.list('通勤|度假、通勤；法式', 'style', { max: 5, itemMax: 10 })).toEqual(['通勤', '度假', '法式'])
  })

  it('checks keys, categories and URLs', () => {
    expect(() => field.key('M 001', 'member_id')).toThrow(/may only hold/)
    expect(field.category('连衣裙', 'category')).toBe('dress')
    expect(field.url('/media/x.png', 'image_url')).toBe('/media/x.png')
    expect(() => field.url('javascript:alert(1)', 'image_url')).toThrow(/not an http/)
    expect(() => field.url('//evil.example/x.png', 'image_url')).toThrow(/not an http/)
  })
})
