/**
 * One way to draw a message, whether it is a reply as written (the manager's preview,
 * filled with sample values) or as it will be sent (the plan for this customer).
 */
import { fillVariables, type FillValues } from '@/shared/reply-fill'
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
