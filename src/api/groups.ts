import type { GroupChat } from '@/shared/group'
import { http } from './http'

export async function fetchGroup(chatId: string, options: { signal?: AbortSignal } = {}): Promise<GroupChat> {
  return (await http.get<GroupChat>(`/groups/${encodeURIComponent(chatId)}`, { signal: options.signal })).data
}
