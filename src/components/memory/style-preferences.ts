/**
 * Her style preferences live in two places: her facts (what a guide recorded, over the
 * CRM's) and the company's WeCom tags of the group 风格偏好. The profile shows them as one
 * list, each value saying where it lives, because each is changed where it lives.
 */
import { STYLE_TAG_GROUP, type CustomerTag } from '@/shared/customer'

export { STYLE_TAG_GROUP }

export interface StylePreference {
  name: string
  /** In her facts: changed in the facts editor. */
  fact: boolean
  /** A company tag of the 风格偏好 group: changed with the tags (it lives in WeCom). */
  tag: boolean
}

export function isStyleTag(tag: CustomerTag): boolean {
  return tag.type === 'corp' && tag.groupName === STYLE_TAG_GROUP
}

/** Her facts' values first, in their order, then the tags' not already among them. */
export function mergedStyles(facts: readonly string[], tags: readonly CustomerTag[]): StylePreference[] {
  const merged = new Map<string, StylePreference>()
  for (const raw of facts) {
    const name = raw.trim()
    if (name && !merged.has(name)) merged.set(name, { name, fact: true, tag: false })
  }
  for (const tag of tags.filter(isStyleTag)) {
    const name = tag.name.trim()
    const known = merged.get(name)
    if (known) known.tag = true
    else if (name) merged.set(name, { name, fact: false, tag: true })
  }
  return [...merged.values()]
}
