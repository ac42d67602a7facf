/** The preview desk without a screen: what the frame shows, and the team grouped for the picker. */
import type { TeamMember } from '@/shared/team'

/** What the frame shows: her workbench, or her sidebar in the chat with one customer. */
export type PreviewTarget = { kind: 'workbench' } | { kind: 'customer'; externalUserId: string; name: string }

/**
 * The app in the desk's preview frame (`?preview=1`: no JS-SDK, see src/wecom). A customer
 * opens as the guide sees her from the chat's toolbar (src/wecom stands in for the open
 * chat), so the send buttons are there as she sees them; they only refuse.
 */
export function frameSrc(target: PreviewTarget, base = '/'): string {
  const root = base.endsWith('/') ? base : `${base}/`
  if (target.kind === 'workbench') return `${root}?preview=1#/workbench`
  return `${root}?preview=1&customer=${encodeURIComponent(target.externalUserId)}`
}

export interface StoreGroup {
  /** null: people in no store. */
  storeId: string | null
  storeName: string | null
  members: TeamMember[]
}

/**
 * Her team by store (in the order the server gave, which is by store), without herself —
 * there is nothing to preview of her own view — and filtered by a name or user id.
 */
export function groupByStore(members: readonly TeamMember[], query: string, selfId: string | null): StoreGroup[] {
  const term = query.trim().toLowerCase()
  const groups = new Map<string | null, StoreGroup>()
  for (const member of members) {
    if (member.userId === selfId) continue
    if (term && !member.name.toLowerCase().includes(term) && !member.userId.toLowerCase().includes(term)) continue
    let group = groups.get(member.storeId)
    if (!group) {
      group = { storeId: member.storeId, storeName: member.storeName, members: [] }
      groups.set(member.storeId, group)
    }
    group.members.push(member)
  }
  // People in no store last: they are the exception.
  return [...groups.values()].sort((a, b) => Number(a.storeId === null) - Number(b.storeId === null))
}
