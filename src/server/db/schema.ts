// Long: every table of the database in one place, as Kysely sees it.
/**
 * The database as Kysely sees it. Instants are epoch milliseconds (bigint in PostgreSQL,
 * read back as numbers), lists are JSON text, booleans are 0/1: the same SQL runs on
 * SQLite and PostgreSQL.
 */
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely'

type Millis = number

export interface StoresTable {
  id: string
  name: string
  city: string
  /** Commission on credited sales, basis points (300 = 3 %); null: none shown. */
  commission_bp: number | null
  /** When the evening report goes out, 'HH:MM' China time; null: 21:00. */
  evening_report_at: string | null
  /** The weekly ranking: 1 (Monday) … 7 (Sunday) and 'HH:MM' China time; null: none posted. */
  ranking_weekday: number | null
  ranking_at: string | null
  ranking_metric: 'sales' | 'commission' | null
}

/** Stores a manager looks after besides her own (`guides.store_id`). */
export interface StoreManagersTable {
  user_id: string
  store_id: string
}

export interface CampaignsTable {
  id: string
  name: string
  /** China's calendar days, YYYY-MM-DD, both included. */
  starts_on: string
  ends_on: string
  /** JSON: the customer list's filters; {} for all her customers. */
  audience: string
  content_type: 'reply' | 'bundle' | 'coupon' | null
  content_id: string | null
  note: string | null
  /** JSON: the store ids it runs in. */
  store_ids: string
  created_by: string
  created_at: Millis
  updated_at: Millis
  ended_at: Millis | null
}

export interface RankingReportsTable {
  store_id: string
  /** The Monday (China) of the week ranked, YYYY-MM-DD. */
  week: string
  sent_at: Millis
}

export interface GuidesTable {
  user_id: string
  name: string
  avatar: string | null
  store_id: string | null
  role: 'guide' | 'manager' | 'admin'
  /** When this guide's customer list was last read from WeCom (null: never). */
  customers_synced_at: Millis | null
  /** When she left the company (WeCom's delete_user, the CRM import); null while she works here. */
  left_at: Millis | null
  /** Who said she left: 'wecom' (delete_user) or 'import' (the staff file's active column). */
  left_by: ColumnType<'wecom' | 'import' | null, 'wecom' | 'import' | null | undefined, 'wecom' | 'import' | null>
  created_at: Millis
  updated_at: Millis
}

/** WeCom's `external_contact`, cached. `fetched_at` 0 means only list data is known. */
export interface WecomCustomersTable {
  external_user_id: string
  name: string
  avatar: string | null
  type: number
  gender: number
  corp_name: string | null
  unionid: string | null
  fetched_at: Millis
  updated_at: Millis
}

/** One guide's `follow_user` entry for a customer, cached. */
export interface WecomFollowsTable {
  external_user_id: string
  user_id: string
  remark: string
  description: string
  /** JSON: CustomerTag[] */
  tags: string
  added_at: Millis | null
  add_way: number
  state: string | null
  remark_mobiles: string
  updated_at: Millis
  /** `|`-separated name and remark, typed and in pinyin (modules/customers/search-key.ts); null until filled. */
  search_text: ColumnType<string | null, string | null | undefined, string | null>
  /** `|8000|1234|`: the last four digits of her phones; null until filled. */
  search_phones: ColumnType<string | null, string | null | undefined, string | null>
  /** She deleted the guide then (WeCom's del_follow_user): the follow stays, marked, until she adds the guide again. */
  deleted_by_customer_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
}

export interface MembersTable {
  id: string
  external_user_id: string | null
  phone: string | null
  name: string
  level: string
  points: number
  store_id: string | null
  size_top: string | null
  size_bottom: string | null
  size_dress: string | null
  size_shoes: string | null
  /** JSON: string[] */
  style_preferences: string
  birthday: string | null
  created_at: Millis
  updated_at: Millis
}

export interface ProductsTable {
  id: string
  style_code: string
  name: string
  category: string
  price_fen: number
  image_url: string | null
  created_at: Millis
  season: ColumnType<string | null, string | null | undefined, string | null>
  /** JSON: string[] */
  tags: ColumnType<string, string | undefined, string>
  description: ColumnType<string, string | undefined, string>
  /** JSON: string[] */
  materials: ColumnType<string, string | undefined, string>
}

export interface ProductSkusTable {
  id: string
  product_id: string
  color: string
  color_hex: string | null
  size: string
  position: number
  /** Unique when set: what the till scans. */
  barcode: ColumnType<string | null, string | null | undefined, string | null>
  /** Overrides the style's price for this SKU (fen); null: the style's. */
  price_fen: ColumnType<number | null, number | null | undefined, number | null>
  /** 1 while the SKU is sold; 0 keeps it for history (bundles, stock) but out of the catalogue. */
  active: ColumnType<number, number | undefined, number>
}

/** Counts writes to the catalogue (scope '*') and to a store's stock ('stock:<store id>'). */
export interface CatalogChangesTable {
  scope: string
  version: ColumnType<number, number, number>
}

export interface ProductImagesTable {
  product_id: string
  position: number
  url: string
  color: string | null
  /** main (the style's or colour's picture), detail or on_model. */
  kind: ColumnType<ProductImageKind, ProductImageKind | undefined, ProductImageKind>
  /** Where an imported picture was fetched from; null for pictures not imported. */
  source_url: ColumnType<string | null, string | null | undefined, string | null>
  /** The stored copy of an imported picture (`media_assets`). */
  asset_id: ColumnType<string | null, string | null | undefined, string | null>
}

export type ProductImageKind = 'main' | 'detail' | 'on_model'

export interface StoreStockTable {
  store_id: string
  sku_id: string
  quantity: number
  updated_at: Millis
}

export interface BundlesTable {
  id: string
  scope: 'corp' | 'personal'
  owner_id: string | null
  title: string
  note: string
  /** JSON: BundleItemInput[] */
  items: string
  position: number
  retired_at: Millis | null
  created_at: Millis
  updated_at: Millis
}

export interface BundleSendsTable {
  id: string
  bundle_id: string
  guide_id: string
  external_user_id: string | null
  chat_id: string | null
  status: 'pending' | 'sent' | 'cancelled'
  /** JSON: the bundle as sent */
  snapshot: string
  created_at: Millis
  sent_at: Millis | null
  first_opened_at: Millis | null
  last_opened_at: Millis | null
  open_count: ColumnType<number, number | undefined, number>
}

export interface BundleCollagesTable {
  key: string
  /** JSON: CollageItem[] */
  spec: string
  png: Buffer | null
  created_at: Millis
}

export interface OrdersTable {
  id: string
  member_id: string
  store_id: string | null
  purchased_at: Millis
  total_fen: number
  created_at: Millis
  /** The selling guide, when the CRM says so. */
  guide_user_id: string | null
  /** Who the sale counts for: the CRM's guide, else who last served her within 14 days, else her primary guide. */
  credited_guide_id: string | null
}

/** Each member's orders summed up, kept by triggers on `orders` (migration 0012); no row: no orders. */
export interface MemberOrderTotalsTable {
  member_id: string
  order_count: number
  total_fen: number
  last_purchase_at: Millis
}

export interface OrderItemsTable {
  order_id: string
  line_no: number
  product_id: string | null
  name: string
  color: string | null
  size: string | null
  quantity: number
  price_fen: number
  returned: ColumnType<number, number | undefined, number>
}

/** Facts a guide recorded about a customer; null columns fall back to the member record. */
export interface CustomerFactsTable {
  external_user_id: string
  size_top: string | null
  size_bottom: string | null
  size_dress: string | null
  size_shoes: string | null
  fit_notes: string | null
  /** JSON string[] */
  style_preferences: string | null
  colors_liked: string | null
  colors_avoided: string | null
  materials_avoided: ColumnType<string | null, string | null | undefined, string | null>
  birthday: string | null
  phone: string | null
  preferred_store_id: string | null
  updated_at: Millis
}

export interface CustomerEventsTable {
  id: string
  external_user_id: string
  kind: string
  actor_id: string | null
  occurred_at: Millis
  /** JSON, shaped by kind */
  payload: string
}

export interface CustomerNotesTable {
  id: string
  external_user_id: string
  author_id: string
  text: string
  next_follow_up: string | null
  outcome: string | null
  created_at: Millis
}

export interface PersonalTagsTable {
  external_user_id: string
  user_id: string
  name: string
  created_at: Millis
}

export interface TasksTable {
  id: string
  guide_id: string
  external_user_id: string
  kind: string
  due_date: string
  note_id: string | null
  title: string
  /** When it was done (tapped, or by itself), or skipped. */
  done_at: Millis | null
  created_at: Millis
  status: 'todo' | 'done' | 'expired' | 'skipped'
  reason: string
  skip_reason: string | null
  /** JSON: { suggestion?: {type, id}, … } */
  payload: string | null
  campaign_id: string | null
}

export interface SalesTargetsTable {
  scope: 'store' | 'guide'
  scope_id: string
  /** YYYY-MM */
  month: string
  amount_fen: number
  updated_by: string | null
  updated_at: Millis
}

export interface EveningReportsTable {
  guide_id: string
  /** China's calendar day, YYYY-MM-DD. */
  day: string
  sent_at: Millis
}

export interface WecomCorpTagsTable {
  tag_id: string
  name: string
  group_id: string
  group_name: string
  group_order: number
  tag_order: number
}

export interface WecomGroupChatsTable {
  chat_id: string
  name: string
  owner: string
  notice: string
  /** JSON: WeCom's member_list */
  members: string
  fetched_at: Millis
}

/** A WeCom change event, stored once by its key (WeCom retries; instances share the table). */
export interface WecomCallbackEventsTable {
  key: string
  event: string
  change_type: string | null
  user_id: string | null
  /** ExternalUserID, ChatId or TagId, whichever the event is about. */
  target_id: string | null
  /** WeCom's CreateTime. */
  created_at: Millis
  received_at: Millis
  processed_at: Millis | null
  outcome: string | null
}

export type FollowEndReason = 'customer_deleted' | 'guide_deleted' | 'transferred' | 'lost'

/**
 * A guide's follow of a customer that ended. The follow itself is gone from wecom_follows,
 * except when she deleted the guide (`wecom_follows.deleted_by_customer_at`).
 */
export interface WecomFollowEndsTable {
  external_user_id: string
  user_id: string
  ended_at: Millis
  reason: FollowEndReason
  /** The guide her notes, tasks and coupons moved to, once they did. */
  transferred_to: string | null
  transferred_at: Millis | null
}

/** One rate-limited key's count in its current window (migration 0016). */
export interface RateLimitsTable {
  key: string
  window_start: Millis
  count: number
  expires_at: Millis
}

/** A guide's lookup of members by phone (migration 0016). */
export interface MemberLookupsTable {
  id: string
  guide_id: string
  external_user_id: string
  phone_masked: string
  /** JSON: member ids shown. */
  shown: string
  hidden: number
  at: Millis
}

/** An OAuth state or code already used, by sha256 digest (migration 0017). */
/** The nightly WeCom resync of one China day (migration 0022): claimed once across instances. */
export interface WecomResyncRunsTable {
  day: string
  status: 'running' | 'done' | 'failed'
  attempts: number
  started_at: Millis
  /** Written as the run goes: a run whose heartbeat stopped died with its instance. */
  heartbeat_at: Millis
  finished_at: Millis | null
  outcome: string | null
}

/** WeCom's last refusal of our set-up per API (migration 0022), until that API answers again. */
export interface WecomSetupErrorsTable {
  api: string
  errcode: number
  errmsg: string
  at: Millis
}

export interface OAuthSpentTable {
  kind: 'state' | 'code'
  digest: string
  expires_at: Millis
}

/** A signed-in member's session (migration 0015); the cookie carries the signed id. */
export interface SessionsTable {
  id: string
  user_id: string
  created_at: Millis
  last_seen_at: Millis
  /** The absolute end, fixed at sign-in. */
  expires_at: Millis
  revoked_at: Millis | null
  revoked_reason: 'logout' | 'rotated' | 'admin' | 'departed' | null
}

export interface SyncStateTable {
  key: string
  value: string
  updated_at: Millis
}

export interface ReplyGroupsTable {
  id: string
  scope: 'corp' | 'personal'
  owner_id: string | null
  parent_id: string | null
  name: string
  position: number
  retired_at: Millis | null
  created_at: Millis
  updated_at: Millis
}

export interface RepliesTable {
  id: string
  scope: 'corp' | 'personal'
  owner_id: string | null
  group_id: string
  title: string
  /** JSON: ReplyPart[] */
  parts: string
  tags: string
  stages: string
  position: number
  retired_at: Millis | null
  created_at: Millis
  updated_at: Millis
}

export interface MediaAssetsTable {
  id: string
  mime: string
  size: number
  width: number
  height: number
  sha256: string
  filename: string
  data: Buffer
  created_by: string
  created_at: Millis
}

export interface WecomMediaTable {
  asset_id: string
  media_id: string
  uploaded_at: Millis
}

export interface ReplyFavoritesTable {
  reply_id: string
  user_id: string
  created_at: Millis
}

export interface ReplyUsageTable {
  reply_id: string
  user_id: string
  count: number
  last_used_at: Millis
}

export interface ReplySendsTable {
  id: string
  reply_id: string
  user_id: string
  external_user_id: string | null
  chat_id: string | null
  parts_sent: number
  parts_total: number
  edited: number
  copied: ColumnType<number, number | undefined, number>
  sent_at: Millis
}

export interface AuditLogTable {
  id: string
  actor_id: string
  entity: string
  entity_id: string
  action: string
  before: string | null
  after: string | null
  at: Millis
}

export interface CouponTemplatesTable {
  id: string
  name: string
  description: string
  kind: 'amount_off' | 'percent_off' | 'no_threshold'
  value: number
  threshold: number
  total_stock: number
  stock_left: number
  per_customer_limit: number
  guide_weekly_quota: number
  valid_days: number | null
  /** `YYYY-MM-DD`, Asia/Shanghai */
  valid_from: string | null
  valid_to: string | null
  /** JSON: string[] */
  eligible_levels: string
  eligible_tags: string
  store_ids: string
  online: number
  status: 'active' | 'paused' | 'ended'
  /** For customers with at most this many orders (0: new customers only); null: anyone. */
  max_orders: number | null
  created_by: string
  created_at: Millis
  updated_at: Millis
}

/** A guide's issuances of a coupon in a Shanghai week, given-back ones aside (kept by triggers). */
export interface CouponGuideUsageTable {
  template_id: string
  guide_id: string
  week_start: number
  used: number
}

export interface CouponIssuancesTable {
  id: string
  template_id: string
  code: string
  guide_id: string
  external_user_id: string
  idempotency_key: string
  status: 'reserved' | 'sent' | 'claimed' | 'redeemed' | 'released'
  reserved_until: Millis | null
  issued_at: Millis
  sent_at: Millis | null
  claimed_at: Millis | null
  redeemed_at: Millis | null
  redeemed_store_id: string | null
  released_at: Millis | null
  release_reason: 'cancel' | 'timeout' | null
  valid_from: Millis | null
  valid_until: Millis | null
  order_id: string | null
}

export interface StoreApiKeysTable {
  id: string
  store_id: string
  key_hash: string
  label: string
  created_at: Millis
  revoked_at: Millis | null
}

/** A key of one of the retailer's systems for /api/integration/*; only its hash is kept. */
export interface IntegrationKeysTable {
  id: string
  /** The system it belongs to, as head office named it ("ERP", "POS"). */
  name: string
  /** The kinds it may write, comma-separated: stock, orders, members, products. */
  scopes: string
  key_hash: string
  created_by: string
  created_at: Millis
  revoked_at: Millis | null
}

/** One row at most (id 1): what this database was first used for. See db/deployment.ts. */
export interface DeploymentTable {
  id: number
  kind: 'demo' | 'real'
  marked_at: Millis
}

/** One row (id 1): moves on, by triggers, whenever anything the privacy check reads changes. */
export interface PrivateTextVersionTable {
  id: number
  /** bigint: PostgreSQL may return it as a string. */
  version: number | string
}

export interface Database {
  stores: StoresTable
  guides: GuidesTable
  wecom_customers: WecomCustomersTable
  wecom_follows: WecomFollowsTable
  members: MembersTable
  products: ProductsTable
  orders: OrdersTable
  order_items: OrderItemsTable
  member_order_totals: MemberOrderTotalsTable
  customer_facts: CustomerFactsTable
  customer_events: CustomerEventsTable
  customer_notes: CustomerNotesTable
  private_text_version: PrivateTextVersionTable
  personal_tags: PersonalTagsTable
  tasks: TasksTable
  sales_targets: SalesTargetsTable
  evening_reports: EveningReportsTable
  store_managers: StoreManagersTable
  campaigns: CampaignsTable
  ranking_reports: RankingReportsTable
  wecom_corp_tags: WecomCorpTagsTable
  wecom_group_chats: WecomGroupChatsTable
  sync_state: SyncStateTable
  sessions: SessionsTable
  oauth_spent: OAuthSpentTable
  wecom_resync_runs: WecomResyncRunsTable
  wecom_setup_errors: WecomSetupErrorsTable
  rate_limits: RateLimitsTable
  member_lookups: MemberLookupsTable
  wecom_callback_events: WecomCallbackEventsTable
  wecom_follow_ends: WecomFollowEndsTable
  reply_groups: ReplyGroupsTable
  replies: RepliesTable
  media_assets: MediaAssetsTable
  wecom_media: WecomMediaTable
  reply_favorites: ReplyFavoritesTable
  reply_usage: ReplyUsageTable
  reply_sends: ReplySendsTable
  audit_log: AuditLogTable
  product_skus: ProductSkusTable
  product_images: ProductImagesTable
  store_stock: StoreStockTable
  catalog_changes: CatalogChangesTable
  bundles: BundlesTable
  bundle_sends: BundleSendsTable
  bundle_collages: BundleCollagesTable
  coupon_templates: CouponTemplatesTable
  coupon_issuances: CouponIssuancesTable
  coupon_guide_usage: CouponGuideUsageTable
  store_api_keys: StoreApiKeysTable
  integration_keys: IntegrationKeysTable
  deployment: DeploymentTable
}

export type GuideRow = Selectable<GuidesTable>
export type NewGuide = Insertable<GuidesTable>
export type GuideUpdate = Updateable<GuidesTable>
export type WecomCustomerRow = Selectable<WecomCustomersTable>
export type WecomFollowRow = Selectable<WecomFollowsTable>
export type MemberRow = Selectable<MembersTable>
