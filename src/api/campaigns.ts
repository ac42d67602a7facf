import type {
  Campaign,
  CampaignAudience,
  CampaignAudienceCount,
  CampaignCreate,
  CampaignDetail,
  CampaignList,
} from '@/shared/campaigns'
import { http } from './http'

const campaign = (id: string) => `/campaigns/${encodeURIComponent(id)}`

/** A draft audience, counted before the campaign is created. */
export interface CampaignAudienceQuery {
  audience: CampaignAudience
  /** Left out: every store she looks after. */
  storeIds?: string[]
}

export async function fetchCampaigns(): Promise<Campaign[]> {
  return (await http.get<CampaignList>('/campaigns')).data.items
}

export async function fetchCampaign(id: string): Promise<CampaignDetail> {
  return (await http.get<CampaignDetail>(campaign(id))).data
}

export async function createCampaign(input: CampaignCreate): Promise<CampaignDetail> {
  return (await http.post<CampaignDetail>('/campaigns', input)).data
}

export async function endCampaign(id: string): Promise<CampaignDetail> {
  return (await http.post<CampaignDetail>(`${campaign(id)}/end`)).data
}

export async function countCampaignAudience(
  query: CampaignAudienceQuery,
  options: { signal?: AbortSignal } = {},
): Promise<CampaignAudienceCount> {
  return (await http.post<CampaignAudienceCount>('/campaigns/audience', query, { signal: options.signal })).data
}
