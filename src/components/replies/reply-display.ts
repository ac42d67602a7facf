/**
 * One way to draw a message, whether it is a reply as written (the manager's preview,
 * filled with sample values) or as it will be sent (the plan for this customer).
 */
import type { CustomerProfile } from '@/shared/customer'
import {
  ANY_MEMBER,
  fillVariables,
  MEMBER_LEVEL_NAMES,
  salutation,
  VARIABLE_PATTERN,
  VARIABLE_VALUES,
  type FillValues,
  type ReplyVariable,
} from '@/shared/reply-fill'
import type { CopyablePart, ReplyLibrary, ReplyPart } from '@/shared/replies'

export type PartDisplay =
  | { kind: 'text'; text: string }
  | { kind: 'image'; url: string | null; width: number; height: number }
  | { kind: 'news'; title: string; desc: string; imgUrl: string; link: string }
  | { kind: 'miniprogram'; title: string; imgUrl: string; page: string }

export type AssetMap = ReadonlyMap<string, ReplyLibrary['assets'][number]>

export function assetMap(library: Pick<ReplyLibrary, 'assets'> | null): AssetMap {
  return new Map((library?.assets ?? []).map((a) => [a.id, a]))
}

export function displayPart(part: ReplyPart, assets: AssetMap, values: FillValues | null): PartDisplay {
  const fill = (text: string) => (values ? fillVariables(text, values) : text)
  switch (part.type) {
    case 'text':
      return { kind: 'text', text: fill(part.text) }
    case 'image': {
      const asset = assets.get(part.assetId)
      return { kind: 'image', url: asset?.url ?? null, width: asset?.width ?? 1, height: asset?.height ?? 1 }
    }
    case 'news':
      return { kind: 'news', title: fill(part.title), desc: fill(part.desc), imgUrl: part.coverUrl, link: part.url }
    default:
      return { kind: 'miniprogram', title: fill(part.title), imgUrl: part.coverUrl, page: part.page }
  }
}

/** A part of a send or copy plan, as the guide will see it in the chat. */
export function displaySendable(part: CopyablePart, assets: AssetMap): PartDisplay {
  switch (part.msgtype) {
    case 'text':
      return { kind: 'text', text: part.text.content }
    case 'image': {
      const asset = assets.get(part.assetId)
      return { kind: 'image', url: part.previewUrl, width: asset?.width ?? 1, height: asset?.height ?? 1 }
    }
    case 'news':
      return { kind: 'news', title: part.news.title, desc: part.news.desc, imgUrl: part.news.imgUrl, link: part.news.link }
    default:
      return { kind: 'miniprogram', title: part.miniprogram.title, imgUrl: part.miniprogram.imgUrl, page: part.miniprogram.page }
  }
}

/** Icons for the kinds of part a reply holds, in the order they appear, without repeats. */
export function partKinds(parts: readonly ReplyPart[]): ReplyPart['type'][] {
  return [...new Set(parts.map((p) => p.type))]
}

/** A line of a reply in a list: text, and variables either filled or left as a variable. */
export type SnippetSegment = { kind: 'text'; text: string } | { kind: 'variable'; value: keyof FillValues }

/**
 * Fill what is known and keep the rest as variables (drawn as chips, never as raw
 * braces). Where no customer is open (the workbench, a group, the desk) nothing is known.
 */
export function snippetSegments(text: string, values: Partial<FillValues> | null): SnippetSegment[] {
  const segments: SnippetSegment[] = []
  const push = (piece: string) => {
    if (!piece) return
    const last = segments.at(-1)
    if (last?.kind === 'text') last.text += piece
    else segments.push({ kind: 'text', text: piece })
  }
  let at = 0
  for (const match of text.matchAll(VARIABLE_PATTERN)) {
    push(text.slice(at, match.index))
    const value = VARIABLE_VALUES[match[0] as ReplyVariable]
    const filled = values?.[value]
    if (filled) push(filled)
    else segments.push({ kind: 'variable', value })
    at = match.index + match[0].length
  }
  push(text.slice(at))
  return segments
}

/**
 * What the sidebar knows of her values, as the server fills them when it sends. Her
 * store is left out when she has none of her own: the server then uses the guide's.
 */
export function customerValues(profile: CustomerProfile, guideName: string | null): Partial<FillValues> {
  return {
    salutation: salutation({ remark: profile.follow.remark, name: profile.name, gender: profile.gender }),
    memberLevel: profile.member ? MEMBER_LEVEL_NAMES[profile.member.level] : ANY_MEMBER,
    ...(guideName ? { guide: guideName } : {}),
    ...(profile.facts.preferredStore ? { store: profile.facts.preferredStore.name } : {}),
  }
}
