/**
 * What a campaign is on a given day and what its task says: pure, from the stored
 * campaign and `today` (China's calendar day). The generator and the desk both read here,
 * so a campaign is running for the task job exactly when the desk says it is.
 */
import type { CampaignAudience, CampaignStatus } from '../../../shared/campaigns'
import { addDays } from '../../../shared/dates'
import type { TaskSuggestion } from '../../../shared/tasks'
import { chineseDay, type CampaignDraft } from '../tasks/rules'

/** A campaign may run this many days at most (a quarter): longer is not a campaign but a habit. */
export const MAX_CAMPAIGN_DAYS = 92
/** The reason an ended campaign's open tasks are skipped with. */
export const ENDED_REASON = '活动已结束'

const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

export interface CampaignRecord {
  id: string
  name: string
  startsOn: string
  endsOn: string
  audience: CampaignAudience
  content: { type: 'reply' | 'bundle' | 'coupon'; id: string } | null
  note: string
  storeIds: string[]
  createdBy: string
  createdAt: number
  endedAt: number | null
}

export function campaignStatus(campaign: Pick<CampaignRecord, 'startsOn' | 'endsOn' | 'endedAt'>, today: string): CampaignStatus {
  if (campaign.endedAt !== null || today > campaign.endsOn) return 'ended'
  return today < campaign.startsOn ? 'scheduled' : 'running'
}

/** Calendar days from `from` to `to`, both counted (a one-day campaign is 1). */
export function campaignDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1
}

/** The instants its numbers count between: startsOn 00:00 to the end of endsOn (or when it was ended), China time. */
export function campaignWindow(campaign: Pick<CampaignRecord, 'startsOn' | 'endsOn' | 'endedAt'>): {
  from: number
  until: number
} {
  const from = Date.parse(`${campaign.startsOn}T00:00:00Z`) - SHANGHAI_OFFSET_MS
  const end = Date.parse(`${addDays(campaign.endsOn, 1)}T00:00:00Z`) - SHANGHAI_OFFSET_MS - 1
  return { from, until: campaign.endedAt === null ? end : Math.min(end, campaign.endedAt) }
}

/** The task's reason: the manager's note, or the campaign's days ("活动 12月5日–12月12日"). */
export function campaignReason(campaign: Pick<CampaignRecord, 'note' | 'startsOn' | 'endsOn'>): string {
  const note = campaign.note.trim()
  return note || `活动 ${chineseDay(campaign.startsOn)}–${chineseDay(campaign.endsOn)}`
}

/** The campaign as the task rules take it, for these customers. */
export function campaignDraft(campaign: CampaignRecord, externalUserIds: readonly string[]): CampaignDraft {
  const suggestion: TaskSuggestion | null = campaign.content ? { type: campaign.content.type, id: campaign.content.id } : null
  return {
    campaignId: campaign.id,
    title: campaign.name,
    reason: campaignReason(campaign),
    dueDate: campaign.endsOn,
    suggestion,
    externalUserIds,
  }
}
