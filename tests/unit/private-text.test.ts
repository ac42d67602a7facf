import { describe, expect, it } from 'vitest'
import { PRIVATE_KINDS, findPrivateText, privatePieces, type PrivateKind } from '../../src/server/modules/privacy/private-text'

describe('privatePieces', () => {
  it('cuts a remark into the words a guide wrote, leaving sizes out', () => {
    expect(privatePieces('郑安琪 静安 S码')).toEqual(['郑安琪', '静安', '郑安琪 静安 S码'])
    expect(privatePieces('王姐')).toEqual(['王姐'])
    expect(privatePieces('A')).toEqual([])
  })
})

describe('findPrivateText', () => {
  const secrets = [
    { kind: 'remark' as const, text: '郑安琪 静安 S码' },
    { kind: 'description' as const, text: '孕期，怕冷；老公姓王' },
    { kind: 'personal_tag' as const, text: '爱砍价' },
    { kind: 'phone' as const, text: '13800138000' },
  ]
  const allowed = ['上海静安嘉里中心店', '通勤', '燕麦色', '绮澜 QILAN', '李娜']

  it('finds a remark, a description, a tag or a phone in a title or note', () => {
    expect(findPrivateText(['为郑安琪 静安 S码搭配'], secrets, allowed)).toEqual({ kind: 'remark', fragment: '郑安琪' })
    expect(findPrivateText(['给孕期的你'], secrets, allowed)).toEqual({ kind: 'description', fragment: '孕期' })
    expect(findPrivateText(['', '不给爱砍价的'], secrets, allowed)).toEqual({ kind: 'personal_tag', fragment: '爱砍价' })
    expect(findPrivateText(['有事打 138 0013 8000'], secrets, allowed)).toEqual({ kind: 'phone', fragment: '13800138000' })
  })

  it('lets through product words, the store, the brand, the guide and sizes', () => {
    expect(findPrivateText(['为您挑的一套通勤搭配', '静安店 S码有货 · 李娜'], secrets, allowed)).toBeNull()
    expect(findPrivateText(['绮澜 QILAN 燕麦色系'], secrets, allowed)).toBeNull()
  })
})

describe('remarks written without spaces, and long notes', () => {
  it('finds a name at the start of a remark typed in one run', () => {
    const secrets = [{ kind: 'remark' as const, text: '郑安琪静安S码' }]
    expect(findPrivateText(['为郑安琪搭配'], secrets, [])).toEqual({ kind: 'remark', fragment: '郑安琪' })
    expect(findPrivateText(['为张婷挑的'], [{ kind: 'remark', text: '张婷VIP' }], [])).toEqual({
      kind: 'remark',
      fragment: '张婷',
    })
    expect(findPrivateText(['给王芳的'], [{ kind: 'member', text: '王芳' }], [])).toEqual({ kind: 'member', fragment: '王芳' })
  })

  it('does not let a note’s everyday two-character words block a title', () => {
    const notes = [{ kind: 'note' as const, text: '周末 来店 试了三件大衣，想要驼色的' }]
    expect(findPrivateText(['周末也能穿'], notes, [])).toBeNull()
    expect(findPrivateText(['试了三件大衣的你'], notes, [])).toEqual({ kind: 'note', fragment: '试了三件大衣' })
  })
})

describe('skipping secrets that share no two adjacent characters with the outgoing text', () => {
  // The check without the shortcut: every piece of every secret looked for.
  function everyPiece(outgoing: string[], secrets: { kind: PrivateKind; text: string }[], allowed: string[]) {
    const haystack = outgoing.map((t) => t.toLowerCase())
    const allowedLower = allowed.map((a) => a.toLowerCase())
    for (const secret of secrets) {
      if (secret.kind === 'phone') continue
      for (const piece of privatePieces(secret.text, secret.kind)) {
        const lower = piece.toLowerCase()
        if (haystack.some((h) => h.includes(lower)) && !allowedLower.some((a) => a.includes(lower))) {
          return { kind: secret.kind, fragment: piece }
        }
      }
    }
    return null
  }

  it('finds whatever looking for every piece finds', () => {
    // Case pairs, a final sigma, a dotted capital I, CJK, digits and separators.
    const alphabet = [...'张婷王芳静安码AaBbΣσςİi̇ 0123,，.-VIPvip𐐀𐐨']
    let seed = 20261207
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const text = (max: number) =>
      Array.from({ length: 1 + Math.floor(random() * max) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
    const kinds = PRIVATE_KINDS.filter((kind) => kind !== 'phone')
    let found = 0
    for (let round = 0; round < 3000; round++) {
      const secrets = Array.from({ length: 3 }, () => ({ kind: kinds[Math.floor(random() * kinds.length)]!, text: text(8) }))
      // Half the time the outgoing text holds a stretch of a secret, in either case.
      const secret = secrets[0]!.text
      const start = Math.floor(random() * secret.length)
      const stretch = secret.slice(start, start + 1 + Math.floor(random() * 6))
      const cased = random() < 0.5 ? stretch.toUpperCase() : stretch.toLowerCase()
      const outgoing = [random() < 0.5 ? text(6) + cased + text(6) : text(12), text(6)]
      const allowed = random() < 0.3 ? [text(4)] : []
      const expected = everyPiece(outgoing, secrets, allowed)
      if (expected) found++
      expect(findPrivateText(outgoing, secrets, allowed)).toEqual(expected)
    }
    // Both outcomes were exercised, not only "nothing found".
    expect(found).toBeGreaterThan(100)
    expect(found).toBeLessThan(2900)
  })

  it('still finds a piece whose lowercase ends in a final sigma', () => {
    const secrets = [{ kind: 'remark' as const, text: 'ΟΔΥΣΣΕΥΣ' }]
    expect(findPrivateText(['για τον οδυσσευς'], secrets, [])).toEqual({ kind: 'remark', fragment: 'ΟΔΥΣΣΕΥΣ' })
  })
})
