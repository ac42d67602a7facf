import type { Migration } from 'kysely'
import * as foundation from './2026_11_25_0001_foundation'
import * as memberTouchTriggers from './2026_11_25_0002_member_touch_triggers'
import * as customerMemory from './2026_11_25_0003_customer_memory'
import * as quickReplies from './2026_11_25_0004_quick_replies'
import * as catalogBundles from './2026_11_25_0005_catalog_bundles'
import * as coupons from './2026_11_25_0006_coupons'
import * as materials from './2026_12_04_0007_materials'
import * as deployment from './2026_12_04_0008_deployment'
import * as customerSearch from './2026_12_04_0009_customer_search'
import * as couponAudience from './2026_12_04_0010_coupon_audience'
import * as guideDay from './2026_12_04_0011_guide_day'
import * as customerList from './2026_12_04_0012_customer_list'
import * as managerDesk from './2026_12_05_0013_manager_desk'
import * as sessions from './2026_12_05_0015_sessions'
import * as wecomSync from './2026_12_05_0014_wecom_sync'
import * as wecomResilience from './2026_12_05_0017_wecom_resilience'
import * as rateLimits from './2026_12_05_0016_rate_limits'
import * as privateTextVersion from './2026_12_06_0018_private_text_version'
import * as changeNotify from './2026_12_06_0019_change_notify'
import * as skuImport from './2026_12_06_0021_sku_import'
import * as wecomOps from './2026_12_06_0022_wecom_ops'
import * as integrationKeys from './2026_12_06_0023_integration_keys'
import * as catalogPictures from './2026_12_06_0024_catalog_pictures'
import * as couponGuideUsage from './2026_12_06_0025_coupon_guide_usage'
import * as orderTotalsByIndex from './2026_12_06_0026_order_totals_by_index'
import * as sessionNotify from './2026_12_06_0027_session_notify'
import * as couponTemplateIndex from './2026_12_06_0028_coupon_template_index'
import * as couponSentIndex from './2026_12_07_0029_coupon_sent_index'
import * as couponPartialIndexes from './2026_12_07_0030_coupon_partial_indexes'

/** Every migration, by its frozen name. Names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_0001_foundation': foundation,
  '2026_11_25_0002_member_touch_triggers': memberTouchTriggers,
  '2026_11_25_0003_customer_memory': customerMemory,
  '2026_11_25_0004_quick_replies': quickReplies,
  '2026_11_25_0005_catalog_bundles': catalogBundles,
  '2026_11_25_0006_coupons': coupons,
  '2026_12_04_0007_materials': materials,
  '2026_12_04_0008_deployment': deployment,
  '2026_12_04_0009_customer_search': customerSearch,
  '2026_12_04_0010_coupon_audience': couponAudience,
  '2026_12_04_0011_guide_day': guideDay,
  '2026_12_04_0012_customer_list': customerList,
  '2026_12_05_0013_manager_desk': managerDesk,
  '2026_12_05_0015_sessions': sessions,
  '2026_12_05_0014_wecom_sync': wecomSync,
  '2026_12_05_0017_wecom_resilience': wecomResilience,
  '2026_12_05_0016_rate_limits': rateLimits,
  '2026_12_06_0018_private_text_version': privateTextVersion,
  '2026_12_06_0019_change_notify': changeNotify,
  '2026_12_06_0021_sku_import': skuImport,
  '2026_12_06_0022_wecom_ops': wecomOps,
  '2026_12_06_0023_integration_keys': integrationKeys,
  '2026_12_06_0024_catalog_pictures': catalogPictures,
  '2026_12_06_0025_coupon_guide_usage': couponGuideUsage,
  '2026_12_06_0026_order_totals_by_index': orderTotalsByIndex,
  '2026_12_06_0027_session_notify': sessionNotify,
  '2026_12_06_0028_coupon_template_index': couponTemplateIndex,
  '2026_12_07_0029_coupon_sent_index': couponSentIndex,
  '2026_12_07_0030_coupon_partial_indexes': couponPartialIndexes,
}
