import type { StatsPeriod } from '@/shared/stats'
import type {
  ContentUsage,
  StoreSettings,
  StoreSettingsList,
  StoreSettingsUpdate,
  Targets,
  TargetsUpdate,
  TeamMembers,
  TeamStats,
} from '@/shared/team'
import { apiUrl, http } from './http'

/** The desk's filters: a period and, left out, every store she looks after. */
export interface TeamFilter {
  period: StatsPeriod
  storeId?: string | null
}
interface Options {
  signal?: AbortSignal
}

const store = (id: string) => `/stores/${encodeURIComponent(id)}`
const filterParams = (filter: TeamFilter): Record<string, string> =>
  filter.storeId ? { period: filter.period, storeId: filter.storeId } : { period: filter.period }

/** Her team's numbers, one row per guide (403 for guides). */
export async function fetchTeamStats(filter: TeamFilter, options: Options = {}): Promise<TeamStats> {
  return (await http.get<TeamStats>('/team/stats', { params: filterParams(filter), signal: options.signal })).data
}

/**
 * Where the same numbers download as CSV. A plain link, not a request: the browser (and
 * WeCom's webview) downloads it with the session cookie and names the file itself.
 */
export function teamStatsCsvUrl(filter: TeamFilter): string {
  return apiUrl('/team/stats.csv', filterParams(filter))
}

export async function fetchTeamMembers(storeId?: string | null, options: Options = {}): Promise<TeamMembers> {
  return (await http.get<TeamMembers>('/team/members', { params: storeId ? { storeId } : {}, signal: options.signal })).data
}

/** What her team sent over the period (replies, bundles, coupons) and what it led to. */
export async function fetchContentUsage(filter: TeamFilter, options: Options = {}): Promise<ContentUsage> {
  return (await http.get<ContentUsage>('/team/content', { params: filterParams(filter), signal: options.signal })).data
}

/** One month's targets ('YYYY-MM') of her stores and their guides. */
export async function fetchTargets(month: string, storeId?: string | null, options: Options = {}): Promise<Targets> {
  const params = storeId ? { month, storeId } : { month }
  return (await http.get<Targets>('/targets', { params, signal: options.signal })).data
}

/** Set or (amountFen null) clear targets of one month; answers that month's targets. */
export async function saveTargets(update: TargetsUpdate): Promise<Targets> {
  return (await http.put<Targets>('/targets', update)).data
}

/** Her stores' settings (commission, evening report, weekly ranking). */
export async function fetchTeamStores(options: Options = {}): Promise<StoreSettingsList> {
  return (await http.get<StoreSettingsList>('/team/stores', { signal: options.signal })).data
}

/** Only the fields given change. */
export async function updateStoreSettings(storeId: string, patch: StoreSettingsUpdate): Promise<StoreSettings> {
  return (await http.patch<StoreSettings>(`${store(storeId)}/settings`, patch)).data
}

// Till keys: what a store's till signs its redemptions with.

export interface StoreKey {
  id: string
  label: string
  createdAt: string
  revokedAt: string | null
}
export interface StoreKeyList {
  items: StoreKey[]
}
/** A new key: `key` is the secret, answered this once and never again. */
export interface CreatedStoreKey {
  id: string
  storeId: string
  key: string
}

export async function fetchStoreKeys(storeId: string, options: Options = {}): Promise<StoreKeyList> {
  return (await http.get<StoreKeyList>(`${store(storeId)}/api-keys`, { signal: options.signal })).data
}

export async function createStoreKey(storeId: string, label: string): Promise<CreatedStoreKey> {
  return (await http.post<CreatedStoreKey>(`${store(storeId)}/api-keys`, { label })).data
}

export async function revokeStoreKey(storeId: string, keyId: string): Promise<void> {
  await http.delete(`${store(storeId)}/api-keys/${encodeURIComponent(keyId)}`)
}
