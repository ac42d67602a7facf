/**
 * What the guide's customer search matches, worked out once when a customer is written
 * (so a search is a LIKE over one column of her own rows, never pinyin per query):
 *
 * - `text`: her WeChat name and the guide's remark for her, as typed and in pinyin (full,
 *   first letters and initials with zh/ch/sh, also with the surname readings of names:
 *   曾 zeng, 单 shan), lower case and without spaces, each piece between `|` so a match
 *   never spans two of them;
 * - `phones`: the last four digits of each phone number of hers (`|8000|1234|`), matched
 *   only by a query of exactly four digits, so short digit runs find no one by chance.
 *
 * A full phone number is never stored here.
 */
import { pinyin } from 'pinyin-pro'

const SEPARATOR = '|'

/** Lower case, full-width letters and digits made plain, no spaces, no separator. */
export function normalizeSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s|]+/g, '')
}

/** A syllable's initial as typed for short: zh/ch/sh whole, else its first letter (an → a). */
function initialOf(syllable: string): string {
  return /^(?:zh|ch|sh)/.exec(syllable)?.[0] ?? syllable.charAt(0)
}

/** 张雨 → zhangyu, zy, zhy (guides type both kinds of initials); nothing for text without Han. */
function readings(text: string): string[] {
  if (!/\p{Script=Han}/u.test(text)) return []
  const out: string[] = []
  for (const surname of ['off', 'head'] as const) {
    const syllables = pinyin(text, { toneType: 'none', type: 'array', surname, v: true })
    out.push(syllables.join(''), syllables.map((s) => s.charAt(0)).join(''), syllables.map(initialOf).join(''))
  }
  return out
}

export function searchText(name: string, remark: string): string {
  const pieces = [name, remark].flatMap((text) => [text, ...readings(text)]).map(normalizeSearch)
  const unique = [...new Set(pieces.filter(Boolean))]
  return unique.length ? `${SEPARATOR}${unique.join(SEPARATOR)}${SEPARATOR}` : ''
}

export function searchPhones(phones: readonly (string | null | undefined)[]): string {
  const tails = [
    ...new Set(
      phones
        .map((phone) => (phone ?? '').replace(/\D/g, ''))
        .filter((digits) => digits.length >= 4)
        .map((digits) => digits.slice(-4)),
    ),
  ]
  return tails.length ? `${SEPARATOR}${tails.join(SEPARATOR)}${SEPARATOR}` : ''
}

/** A query as the columns hold it; `phoneTail` when she typed exactly four digits. */
export function searchQuery(q: string): { text: string; phoneTail: string | null } | null {
  const text = normalizeSearch(q)
  if (!text) return null
  return { text, phoneTail: /^\d{4}$/.test(text) ? text : null }
}

export const PHONE_TAIL_PATTERN = (tail: string) => `%${SEPARATOR}${tail}${SEPARATOR}%`
