import type { Migration } from 'kysely'
import * as foundation from './2026_11_25_0001_foundation'
import * as memberTouchTriggers from './2026_11_25_0002_member_touch_triggers'
import * as customerMemory from './2026_11_25_0003_customer_memory'
import * as quickReplies from './2026_11_25_0004_quick_replies'
import * as catalogBundles from './2026_11_25_0005_catalog_bundles'
import * as coupons from './2026_11_25_0006_coupons'

/** Every migration, by its frozen name. Names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_0001_foundation': foundation,
  '2026_11_25_0002_member_touch_triggers': memberTouchTriggers,
  '2026_11_25_0003_customer_memory': customerMemory,
  '2026_11_25_0004_quick_replies': quickReplies,
  '2026_11_25_0005_catalog_bundles': catalogBundles,
  '2026_11_25_0006_coupons': coupons,
}
