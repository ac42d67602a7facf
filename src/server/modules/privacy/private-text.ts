/**
 * Nothing private reaches a customer. What goes out on a card or a customer page may hold
 * product data, the brand, the guide's own name and what a guide wrote for the customer —
 * never what she keeps about customers: remarks, descriptions, notes, personal tags,
 * phone numbers. This finds such a fragment in outgoing text. Pure; the guard feeds it.
 *
 * A private text is cut into the pieces a person writes it in (words between spaces and
 * punctuation: '郑安琪 静安 S码' is 郑安琪, 静安, S码), and outgoing text that holds a whole
 * piece is refused. Pieces that say nothing about anyone are let through: sizes, and words
 * the product data or the page itself already says (a style tag, a colour, the store).
 */

export const PRIVATE_KINDS = ['remark', 'description', 'note', 'personal_tag', 'member', 'phone'] as const
export type PrivateKind = (typeof PRIVATE_KINDS)[number]

export interface PrivateText {
  kind: PrivateKind
  text: string
}

export interface PrivateFragment {
  kind: PrivateKind
  fragment: string
}

const SEPARATORS = /[\s,，.。、;；:：!！?？·•|/\\()（）【】[\]{}<>《》"'“”‘’~～\-—_+*&^%$#@=…]+/u
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u
const CJK_RUN = /^[\u3400-\u9fff\uf900-\ufaff]+/u
/** Sizes say nothing about who she is: 'S', 'XL码', '39', '27码'. */
const SIZE_LIKE = /^(?:[A-Za-z]{1,4}|\d{2,3})码?$/
const DIGITS = /^\d+$/

/**
 * How long a piece must be to count, by kind: a remark or a name is short and every
 * character counts (two-character names are common); a note is long free text whose
 * two-character words ('周末', '来店') say nothing about anyone.
 */
const MIN_CJK: Record<PrivateKind, number> = { remark: 2, member: 2, description: 2, personal_tag: 2, note: 3, phone: 0 }

/** The pieces of a private text that could identify or describe someone. */
export function privatePieces(text: string, kind: PrivateKind = 'remark'): string[] {
  const pieces = new Set<string>()
  const whole = text.trim()
  const words = whole.split(SEPARATORS)
  // A remark written without spaces starts with her name: '张婷VIP' holds 张婷, and in
  // '郑安琪静安S码' the first two and three characters stand for it.
  if (kind === 'remark' || kind === 'member') {
    const first = words[0] ?? ''
    const run = CJK_RUN.exec(first)?.[0] ?? ''
    if (run.length >= 2 && run !== first) words.push(run)
    if (run.length >= 4) words.push(run.slice(0, 3), run.slice(0, 2))
  }
  // The words first (the fragment named in a refusal), then the whole text itself.
  for (const piece of [...words, whole]) {
    const p = piece.trim()
    if (!p || SIZE_LIKE.test(p)) continue
    if (DIGITS.test(p) ? p.length >= 7 : CJK.test(p) ? [...p].length >= MIN_CJK[kind] : p.length >= 3) pieces.add(p)
  }
  return [...pieces]
}

/**
 * The first private fragment found in `outgoing`, or null. `allowed` are words the page
 * may say anyway (product names, colours, materials, style tags, brand, guide, stores): a
 * piece that is part of one of them is not private.
 */
export function findPrivateText(
  outgoing: readonly string[],
  secrets: readonly PrivateText[],
  allowed: readonly string[],
): PrivateFragment | null {
  const haystack = outgoing.map((t) => t.toLowerCase())
  const allowedLower = allowed.filter(Boolean).map((a) => a.toLowerCase())
  // Phone numbers are compared on digits alone: '138 0013 8000' is the same number.
  const digits = outgoing.map((t) => t.replace(/\D+/g, ''))
  const pairs = adjacentPairs(haystack)
  for (const secret of secrets) {
    if (secret.kind === 'phone') {
      const number = secret.text.replace(/\D+/g, '')
      if (number.length >= 7 && digits.some((d) => d.includes(number))) return { kind: 'phone', fragment: secret.text }
      continue
    }
    if (!mayShare(pairs, secret.text)) continue
    for (const piece of privatePieces(secret.text, secret.kind)) {
      const lower = piece.toLowerCase()
      // Most pieces appear nowhere: look in the outgoing text first, the allowed words after.
      if (haystack.some((h) => h.includes(lower)) && !allowedLower.some((a) => a.includes(lower))) {
        return { kind: secret.kind, fragment: piece }
      }
    }
  }
  return null
}

/** Every two adjacent UTF-16 units of `texts`, as one number each. */
function adjacentPairs(texts: readonly string[]): Set<number> {
  const pairs = new Set<number>()
  for (const text of texts) {
    for (let i = 1; i < text.length; i++) pairs.add(text.charCodeAt(i - 1) * 0x10000 + text.charCodeAt(i))
  }
  return pairs
}

/**
 * False when no piece of `text` can be in outgoing text whose lowercase has these `pairs`:
 * cutting it into pieces is most of the check's time, and most secrets share no two
 * adjacent characters with a coupon's words. Exact, not a guess: every piece has at least
 * two code points and is a stretch of `text`, and lowercasing maps each character alone
 * (the one exception, a final Σ, sends the text to the full check), so a piece found in
 * outgoing text starts with two units that are adjacent in both.
 */
function mayShare(pairs: ReadonlySet<number>, text: string): boolean {
  if (text.includes('Σ')) return true
  const lower = text.toLowerCase()
  for (let i = 1; i < lower.length; i++) {
    if (pairs.has(lower.charCodeAt(i - 1) * 0x10000 + lower.charCodeAt(i))) return true
  }
  return false
}
