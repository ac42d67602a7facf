import type {
  Bundle,
  BundleCreate,
  BundleItemInput,
  BundleList,
  BundleScope,
  BundleSend,
  BundleUpdate,
  Suggestions,
} from '@/shared/bundles'
import { http } from './http'

export interface BundleTarget {
  externalUserId?: string
  chatId?: string
  /** The SKUs shown in her preview (her sizes), one per piece in the bundle's order. */
  items?: BundleItemInput[]
}

const bundle = (id: string) => `/bundles/${encodeURIComponent(id)}`
const send = (id: string) => `/bundle-sends/${encodeURIComponent(id)}`

export async function fetchBundles(scope?: BundleScope): Promise<Bundle[]> {
  return (await http.get<BundleList>('/bundles', { params: scope ? { scope } : {} })).data.bundles
}

/** The brand's outfits for the manager's desk, retired ones included (each says which). */
export async function fetchBrandBundles(): Promise<Bundle[]> {
  return (await http.get<BundleList>('/bundles', { params: { scope: 'corp', includeRetired: true } })).data.bundles
}

export async function fetchBundleSuggestions(externalUserId: string): Promise<Suggestions> {
  return (await http.get<Suggestions>(`/customers/${encodeURIComponent(externalUserId)}/bundle-suggestions`)).data
}

export async function createBundle(input: BundleCreate): Promise<Bundle> {
  return (await http.post<Bundle>('/bundles', input)).data
}

export async function updateBundle(id: string, patch: BundleUpdate): Promise<Bundle> {
  return (await http.patch<Bundle>(bundle(id), patch)).data
}

export async function prepareBundleSend(id: string, target: BundleTarget): Promise<BundleSend> {
  return (await http.post<BundleSend>(`${bundle(id)}/sends`, target)).data
}

export async function confirmBundleSend(id: string): Promise<BundleSend> {
  return (await http.post<BundleSend>(`${send(id)}/confirm`)).data
}

export async function cancelBundleSend(id: string): Promise<BundleSend> {
  return (await http.post<BundleSend>(`${send(id)}/cancel`)).data
}
