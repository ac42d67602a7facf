/**
 * The checks a reply's parts pass on the server, as messages the manager's editor shows
 * beside the field before saving. The schema in `replies.ts` stays the authority.
 */
import { MINIPROGRAM_APPID_PATTERN, MINIPROGRAM_PAGE_PATTERN, type ReplyPart } from './replies'

export type PartProblem = { field: string; problem: 'required' | 'tooLong' | 'appid' | 'page' | 'url' | 'image' }

const URL_PATTERN = /^https?:\/\/[^\s/$.?#].[^\s]*$/i
const COVER_PATTERN = /^(https?:\/\/[^\s]+|\/[^\s]*)$/i

function text(field: string, value: string, max: number, required = true): PartProblem | null {
  if (required && !value.trim()) return { field, problem: 'required' }
  if (value.length > max) return { field, problem: 'tooLong' }
  return null
}

export function partProblems(part: ReplyPart): PartProblem[] {
  const problems: (PartProblem | null)[] = []
  switch (part.type) {
    case 'text':
      problems.push(text('text', part.text, 2000))
      break
    case 'image':
      if (!part.assetId) problems.push({ field: 'assetId', problem: 'image' })
      break
    case 'news':
      problems.push(text('title', part.title, 64), text('desc', part.desc, 120, false))
      problems.push(URL_PATTERN.test(part.url) ? null : { field: 'url', problem: 'url' })
      problems.push(COVER_PATTERN.test(part.coverUrl) ? null : { field: 'coverUrl', problem: 'url' })
      break
    case 'miniprogram':
      problems.push(new RegExp(MINIPROGRAM_APPID_PATTERN).test(part.appid) ? null : { field: 'appid', problem: 'appid' })
      problems.push(new RegExp(MINIPROGRAM_PAGE_PATTERN).test(part.page) ? null : { field: 'page', problem: 'page' })
      problems.push(text('title', part.title, 64))
      problems.push(COVER_PATTERN.test(part.coverUrl) ? null : { field: 'coverUrl', problem: 'url' })
      break
  }
  return problems.filter((p): p is PartProblem => p !== null)
}

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024
