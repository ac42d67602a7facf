/**
 * WeCom's shapes → ours, in one place. Everything WeCom says about a customer passes
 * through here on its way into the cache.
 */
import type { CustomerTag } from '../../../shared/customer'
import type { ExternalContact, ExternalContactTag, FollowInfo, FollowUser } from '../../wecom/types'
import type { CachedContact } from './contacts.repository'

/** WeChat avatars come as http:// on qlogo.cn, which an https page would block. */
export function secureAvatar(url: string | undefined | null): string | null {
  if (!url) return null
  return url.replace(/^http:\/\/([a-z0-9.-]*\.qlogo\.cn)\//i, 'https://$1/')
}

export function mapTag(tag: ExternalContactTag): CustomerTag {
  return {
    groupName: tag.group_name ?? '',
    name: tag.tag_name,
    type: tag.type === 1 ? 'corp' : 'personal',
    tagId: tag.tag_id ?? null,
    source: 'wecom',
  }
}

function contactFields(contact: ExternalContact): Omit<CachedContact, 'follows'> {
  return {
    externalUserId: contact.external_userid,
    name: contact.name,
    avatar: secureAvatar(contact.avatar),
    type: contact.type === 2 ? 2 : 1,
    gender: contact.gender === 1 || contact.gender === 2 ? contact.gender : 0,
    corpName: contact.corp_name || contact.corp_full_name || null,
    unionid: contact.unionid ?? null,
  }
}

function followFields(follow: FollowUser | FollowInfo) {
  return {
    userId: follow.userid,
    remark: follow.remark ?? '',
    description: follow.description ?? '',
    addedAt: follow.createtime ? follow.createtime * 1000 : null,
    addWay: follow.add_way ?? 0,
    state: follow.state ?? null,
    remarkMobiles: follow.remark_mobiles ?? [],
  }
}

export function mapExternalContact(contact: ExternalContact, followUsers: FollowUser[]): CachedContact {
  return {
    ...contactFields(contact),
    follows: followUsers.map((f) => ({ ...followFields(f), tags: (f.tags ?? []).map(mapTag) })),
  }
}

export function mapBatchEntry(contact: ExternalContact, follow: FollowInfo): CachedContact {
  return { ...contactFields(contact), follows: [{ ...followFields(follow), tags: [] }] }
}
