/**
 * Searching and ranking the reply library on the device: the whole library is small
 * (thousands of replies at most), so every keystroke scans it in well under a frame.
 */
import type { CustomerProfile } from '@/shared/customer'
import { VARIABLE_PATTERN } from '@/shared/reply-fill'
import type { Reply, ReplyGroup, ReplyLibrary, ReplyPart, ReplyStage } from '@/shared/replies'

/** Case- and width-insensitive: 'ＶＩＰ' and 'vip' match, as guides type either. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

function partText(part: ReplyPart): string {
  switch (part.type) {
    case 'text':
      return part.text
    case 'news':
      return `${part.title} ${part.desc}`
    case 'miniprogram':
      return part.title
    default:
      return ''
  }
}

/** The first words a guide would recognise a reply by. */
export function snippet(reply: Reply): string {
  const text = reply.parts.map(partText).find((t) => t.trim()) ?? ''
  return text.replace(/\s+/g, ' ').trim()
}

interface Entry {
  reply: Reply
  title: string
  body: string
  order: number
}

export interface RankContext {
  /** Her tag names (corporate and personal) and style preferences. */
  tags: readonly string[]
  stages: readonly ReplyStage[]
}

export class ReplyIndex {
  private readonly entries: Entry[]
  private readonly usage: Map<string, { count: number; lastUsedAt: number }>
  readonly favorites: ReadonlySet<string>
  readonly groups: ReplyGroup[]

  constructor(readonly library: ReplyLibrary) {
    this.groups = orderGroups(library.groups)
    const groupOrder = new Map(this.groups.map((g, i) => [g.id, i]))
    this.entries = library.replies.map((reply) => ({
      reply,
      title: normalize(reply.title),
      body: normalize(reply.parts.map(partText).join('\n').replace(VARIABLE_PATTERN, ' ')),
      order: (groupOrder.get(reply.groupId) ?? 9999) * 10_000 + reply.position,
    }))
    this.entries.sort((a, b) => a.order - b.order)
    this.usage = new Map(library.usage.map((u) => [u.replyId, { count: u.count, lastUsedAt: Date.parse(u.lastUsedAt) }]))
    this.favorites = new Set(library.favorites)
  }

  get size(): number {
    return this.entries.length
  }

  usageOf(id: string): number {
    return this.usage.get(id)?.count ?? 0
  }

  /**
   * Replies whose title or content contains every word of the query. Title hits first,
   * then what suits her, then what she uses most, then the library's own order.
   */
  search(query: string, context: RankContext | null = null, limit = Infinity): Reply[] {
    const terms = normalize(query).split(/\s+/).filter(Boolean)
    if (terms.length === 0) return []
    const hits: { entry: Entry; score: number }[] = []
    for (const entry of this.entries) {
      let titleHits = 0
      let matched = true
      for (const term of terms) {
        if (entry.title.includes(term)) titleHits++
        else if (!entry.body.includes(term)) {
          matched = false
          break
        }
      }
      if (!matched) continue
      const suit = context ? suitability(entry.reply, context) : 0
      const score =
        titleHits * 1000 + (entry.title.startsWith(terms[0]!) ? 500 : 0) + suit * 100 + Math.min(this.usageOf(entry.reply.id), 99)
      hits.push({ entry, score })
    }
    hits.sort((a, b) => b.score - a.score || a.entry.order - b.entry.order)
    return hits.slice(0, limit).map((h) => h.entry.reply)
  }

  /** Replies meant for her tags or her stage, best fit first. */
  suggested(context: RankContext, limit = 5): Reply[] {
    const scored: { entry: Entry; score: number }[] = []
    for (const entry of this.entries) {
      const score = suitability(entry.reply, context)
      if (score > 0) scored.push({ entry, score: score * 100 + Math.min(this.usageOf(entry.reply.id), 99) })
    }
    scored.sort((a, b) => b.score - a.score || a.entry.order - b.entry.order)
    return scored.slice(0, limit).map((s) => s.entry.reply)
  }

  recentlyUsed(limit = 5): Reply[] {
    return this.entries
      .filter((e) => this.usage.has(e.reply.id))
      .sort((a, b) => this.usage.get(b.reply.id)!.lastUsedAt - this.usage.get(a.reply.id)!.lastUsedAt)
      .slice(0, limit)
      .map((e) => e.reply)
  }

  mostUsed(limit = 5): Reply[] {
    return this.entries
      .filter((e) => this.usageOf(e.reply.id) > 1)
      .sort((a, b) => this.usageOf(b.reply.id) - this.usageOf(a.reply.id) || a.order - b.order)
      .slice(0, limit)
      .map((e) => e.reply)
  }

  favoriteReplies(): Reply[] {
    return this.entries.filter((e) => this.favorites.has(e.reply.id)).map((e) => e.reply)
  }

  /** A group's replies, then each subgroup's under its own heading. */
  sections(groupId: string): { group: ReplyGroup; replies: Reply[] }[] {
    const group = this.groups.find((g) => g.id === groupId)
    if (!group) return []
    const members = [group, ...this.groups.filter((g) => g.parentId === groupId)]
    return members
      .map((g) => ({ group: g, replies: this.entries.filter((e) => e.reply.groupId === g.id).map((e) => e.reply) }))
      .filter((s) => s.replies.length > 0)
  }

  topGroups(): ReplyGroup[] {
    return this.groups.filter((g) => g.parentId === null)
  }
}

/** Corporate groups first, then her own; parents in their hand-made order, each followed by its children. */
export function orderGroups(groups: readonly ReplyGroup[]): ReplyGroup[] {
  const byPosition = (a: ReplyGroup, b: ReplyGroup) => a.position - b.position
  const top = groups
    .filter((g) => g.parentId === null)
    .sort((a, b) => Number(a.scope === 'personal') - Number(b.scope === 'personal') || byPosition(a, b))
  return top.flatMap((parent) => [parent, ...groups.filter((g) => g.parentId === parent.id).sort(byPosition)])
}

function suitability(reply: Reply, context: RankContext): number {
  let score = 0
  for (const stage of reply.stages) if (context.stages.includes(stage)) score += 2
  for (const tag of reply.tags) if (context.tags.includes(tag)) score += 1
  return score
}

const DAY = 24 * 3600 * 1000

/** Where she is with the brand now: new, just bought, or in her birthday month. */
export function customerStages(profile: CustomerProfile, now: number): ReplyStage[] {
  const stages: ReplyStage[] = []
  const added = profile.follow.addedAt ? Date.parse(profile.follow.addedAt) : NaN
  if (now - added < 14 * DAY || (!profile.member && now - added < 30 * DAY)) stages.push('new_customer')
  const bought = profile.member?.stats.lastPurchaseAt ? Date.parse(profile.member.stats.lastPurchaseAt) : NaN
  if (now - bought < 30 * DAY) stages.push('after_purchase')
  const birthday = profile.facts.birthday
  const month = birthday ? Number(birthday.length > 5 ? birthday.slice(5, 7) : birthday.slice(0, 2)) : 0
  if (month === new Date(now).getMonth() + 1) stages.push('birthday_month')
  return stages
}

export function rankContextFor(profile: CustomerProfile | null, now: number): RankContext | null {
  if (!profile) return null
  return {
    tags: [...profile.follow.tags.map((t) => t.name), ...profile.facts.stylePreferences],
    stages: customerStages(profile, now),
  }
}
