import type { CustomerProfile } from '@/shared/customer'

/** The name a guide knows her by: her own remark first, the WeChat name otherwise. */
export function displayName(profile: Pick<CustomerProfile, 'name' | 'follow'>): string {
  return profile.follow.remark.trim() || profile.name
}
