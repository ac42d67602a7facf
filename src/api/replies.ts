import type {
  AuditPage,
  CopyPlan,
  GroupCreate,
  GroupMove,
  GroupUpdate,
  MediaAsset,
  Move,
  Reply,
  ReplyCreate,
  ReplyGroup,
  ReplyLibrary,
  ReplyUpdate,
  SendPlan,
  SendReport,
} from '@/shared/replies'
import { http } from './http'

const reply = (id: string) => `/replies/${encodeURIComponent(id)}`

export async function fetchReplyLibrary(): Promise<ReplyLibrary> {
  return (await http.get<ReplyLibrary>('/replies')).data
}

export async function fetchManageLibrary(): Promise<ReplyLibrary> {
  return (await http.get<ReplyLibrary>('/manage/replies')).data
}

export interface SendTarget {
  externalUserId?: string
  chatId?: string
}

export async function fetchSendPlan(id: string, target: SendTarget): Promise<SendPlan> {
  return (await http.get<SendPlan>(`${reply(id)}/send-plan`, { params: target })).data
}

/** The plan for the clipboard: filled the same way, but images are only shown (no WeCom upload). */
export async function fetchCopyPlan(id: string, target: SendTarget): Promise<CopyPlan> {
  return (await http.get<CopyPlan>(`${reply(id)}/send-plan`, { params: { ...target, mode: 'copy' } })).data
}

export async function reportSend(id: string, report: SendReport): Promise<void> {
  await http.post(`${reply(id)}/sends`, report)
}

export async function refreshMedia(assetId: string, mediaId: string): Promise<string> {
  return (await http.post<{ mediaId: string }>(`/media/${encodeURIComponent(assetId)}/refresh`, { mediaId })).data.mediaId
}

export async function setFavorite(id: string, favorite: boolean): Promise<void> {
  await http.put(`${reply(id)}/favorite`, { favorite })
}

export async function createReply(input: ReplyCreate): Promise<Reply> {
  return (await http.post<Reply>('/replies', input)).data
}

export async function updateReply(id: string, patch: ReplyUpdate): Promise<Reply> {
  return (await http.patch<Reply>(reply(id), patch)).data
}

export async function moveReply(id: string, move: Move): Promise<Reply> {
  return (await http.post<Reply>(`${reply(id)}/move`, move)).data
}

export async function createReplyGroup(input: GroupCreate): Promise<ReplyGroup> {
  return (await http.post<ReplyGroup>('/reply-groups', input)).data
}

export async function updateReplyGroup(id: string, patch: GroupUpdate): Promise<ReplyGroup> {
  return (await http.patch<ReplyGroup>(`/reply-groups/${encodeURIComponent(id)}`, patch)).data
}

export async function moveReplyGroup(id: string, move: GroupMove): Promise<ReplyGroup> {
  return (await http.post<ReplyGroup>(`/reply-groups/${encodeURIComponent(id)}/move`, move)).data
}

export async function uploadImage(file: File): Promise<MediaAsset> {
  const form = new FormData()
  form.append('file', file, file.name)
  return (await http.post<MediaAsset>('/media', form, { timeout: 120_000 })).data
}

export async function fetchAudit(cursor?: string): Promise<AuditPage> {
  return (await http.get<AuditPage>('/manage/audit', { params: { cursor } })).data
}
