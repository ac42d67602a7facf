import { Type, type Static } from 'typebox'
import { CHAT_ID_PATTERN } from './ids'
import { Instant, Nullable } from './schema'

export const ChatIdParamsSchema = Type.Object({
  chatId: Type.String({ pattern: CHAT_ID_PATTERN }),
})

export const GroupCustomerSchema = Type.Object({
  externalUserId: Type.String(),
  name: Type.String(),
  avatar: Nullable(Type.String()),
  joinedAt: Nullable(Instant),
  /** Whether the signed-in guide has this customer in her own contacts. */
  followedByMe: Type.Boolean(),
})
export type GroupCustomer = Static<typeof GroupCustomerSchema>

export const GroupChatSchema = Type.Object({
  chatId: Type.String(),
  name: Type.String(),
  ownerUserId: Type.String(),
  notice: Type.String(),
  memberCount: Type.Integer(),
  staffCount: Type.Integer(),
  customers: Type.Array(GroupCustomerSchema),
  /** Present (true) when WeCom could not be asked just now and this is our older copy. */
  wecomStale: Type.Optional(Type.Boolean()),
})
export type GroupChat = Static<typeof GroupChatSchema>
