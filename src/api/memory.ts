import type { CustomerProfile } from '@/shared/customer'
import type {
  CorpTagGroups,
  FactsPatch,
  MemberLookup,
  Note,
  NoteCreate,
  PersonalTagsChange,
  RemarkPatch,
  StoreList,
  TagsChange,
  TimelinePage,
  TimelineQuery,
} from '@/shared/memory'
import { http } from './http'

const customer = (id: string) => `/customers/${encodeURIComponent(id)}`

export async function patchFacts(externalUserId: string, patch: FactsPatch): Promise<CustomerProfile> {
  return (await http.patch<CustomerProfile>(`${customer(externalUserId)}/facts`, patch)).data
}

export async function revealPhone(externalUserId: string): Promise<string> {
  // A POST: the server records every reveal.
  return (await http.post<{ phone: string }>(`${customer(externalUserId)}/phone`)).data.phone
}

export async function patchRemark(externalUserId: string, patch: RemarkPatch): Promise<CustomerProfile> {
  return (await http.patch<CustomerProfile>(`${customer(externalUserId)}/wecom-remark`, patch)).data
}

export async function changeTags(externalUserId: string, change: TagsChange): Promise<CustomerProfile> {
  return (await http.post<CustomerProfile>(`${customer(externalUserId)}/tags`, change)).data
}

export async function changePersonalTags(externalUserId: string, change: PersonalTagsChange): Promise<CustomerProfile> {
  return (await http.post<CustomerProfile>(`${customer(externalUserId)}/personal-tags`, change)).data
}

export async function fetchCorpTags(): Promise<CorpTagGroups> {
  return (await http.get<CorpTagGroups>('/tags')).data
}

export async function fetchStores(): Promise<StoreList> {
  return (await http.get<StoreList>('/stores')).data
}

export async function createNote(externalUserId: string, note: NoteCreate): Promise<Note> {
  return (await http.post<Note>(`${customer(externalUserId)}/notes`, note)).data
}

export async function fetchTimeline(
  externalUserId: string,
  query: TimelineQuery,
  options: { signal?: AbortSignal } = {},
): Promise<TimelinePage> {
  return (await http.get<TimelinePage>(`${customer(externalUserId)}/timeline`, { params: query, signal: options.signal })).data
}

export async function fetchMemberCandidates(externalUserId: string, phone: string): Promise<MemberLookup> {
  return (await http.get<MemberLookup>(`${customer(externalUserId)}/member-candidates`, { params: { phone } })).data
}

export async function bindMember(externalUserId: string, memberId: string, phone: string): Promise<CustomerProfile> {
  return (await http.post<CustomerProfile>(`${customer(externalUserId)}/member`, { memberId, phone })).data
}
