import type { CustomerTag } from '@/shared/customer'

/** What the tag editor hands back: company tags to add and remove, and the guide's own. */
export interface TagChange {
  corp: { add: { id: string; name: string; groupName: string }[]; remove: string[] }
  personal: { add: string[]; remove: string[] }
}

export function isEmptyChange(change: TagChange): boolean {
  return !change.corp.add.length && !change.corp.remove.length && !change.personal.add.length && !change.personal.remove.length
}

/** The tags as they will be once the change is saved, to show at once. */
export function applyTagChange(tags: CustomerTag[], change: TagChange): CustomerTag[] {
  return [
    ...tags.filter((tag) => !(tag.type === 'corp' && tag.tagId && change.corp.remove.includes(tag.tagId))),
    ...change.corp.add.map((tag): CustomerTag => ({
      groupName: tag.groupName,
      name: tag.name,
      type: 'corp',
      tagId: tag.id,
      source: 'wecom',
    })),
  ]
    .filter((tag) => !(tag.source === 'guide' && change.personal.remove.includes(tag.name)))
    .concat(
      change.personal.add.map((name): CustomerTag => ({ groupName: '', name, type: 'personal', tagId: null, source: 'guide' })),
    )
}
