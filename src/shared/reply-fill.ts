/**
 * Filling a reply's variables. Shared so the server (which knows the customer) and the
 * manager's live preview (which shows a sample) produce the very same text.
 */
import { REPLY_VARIABLES } from './replies'

export interface FillValues {
  salutation: string
  guide: string
  store: string
  memberLevel: string
}

const PATTERN = /\{(称呼|导购|门店|会员等级)\}/g

export function hasVariables(text: string): boolean {
  return REPLY_VARIABLES.some((v) => text.includes(v))
}

export function fillVariables(text: string, values: FillValues): string {
  return text.replace(PATTERN, (_, name: string) => {
    switch (name) {
      case '称呼':
        return values.salutation
      case '导购':
        return values.guide
      case '门店':
        return values.store
      default:
        return values.memberLevel
    }
  })
}

const CJK_NAME = /^[\u4e00-\u9fa5]{2,4}$/

/**
 * How to address her: a real Chinese name becomes 张女士 / 张先生; a WeChat nickname is
 * used as it is, without emoji; with nothing usable, 您.
 */
export function salutation(input: { remark: string; name: string; gender: number }): string {
  const fromRemark = input.remark.trim().split(/\s+/)[0] ?? ''
  const candidate = fromRemark || input.name.trim()
  if (CJK_NAME.test(candidate)) {
    if (input.gender === 2) return `${candidate[0]}女士`
    if (input.gender === 1) return `${candidate[0]}先生`
    return candidate
  }
  const plain = candidate.replace(/[^\p{L}\p{N}\s·._-]/gu, '').trim()
  return plain || '您'
}
