import { Type, type Static } from 'typebox'
import { StringEnum } from './schema'
import { Text } from './text'

/** guide: her own customers; manager: her stores' guides and customers; admin (head office): every store. */
export const RoleSchema = StringEnum(['guide', 'manager', 'admin'])
export type Role = Static<typeof RoleSchema>

/** Set while a manager previews a guide's view: who is looking (the session is read-only). */
export const PreviewBySchema = Type.Object({ by: Type.String(), name: Type.String() })
export type PreviewBy = Static<typeof PreviewBySchema>

export const MeSchema = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  /** Only in a preview session: `userId` is the guide's, `by` the manager's. */
  preview: Type.Optional(PreviewBySchema),
})
export type Me = Static<typeof MeSchema>

export const LoginQuerySchema = Type.Object({
  return: Type.Optional(Text({ maxLength: 2048 })),
})

export const CallbackQuerySchema = Type.Object({
  code: Type.Optional(Text({ maxLength: 512 })),
  state: Type.Optional(Text({ maxLength: 512 })),
})

export const PreviewStartSchema = Type.Object(
  { guideUserId: Text({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
)
export type PreviewStart = Static<typeof PreviewStartSchema>

/** What a write in a preview session answers (403). */
export const PREVIEW_READ_ONLY = 'preview_read_only' as const

/** `DELETE /api/sessions/:userId`: an admin ends every session of a member. */
export const SessionsUserParamsSchema = Type.Object({ userId: Text({ minLength: 1, maxLength: 64 }) })
export const SessionsRevokedSchema = Type.Object({
  /** How many live sessions were ended (0: she was not signed in anywhere). */
  revoked: Type.Integer({ minimum: 0 }),
})
export type SessionsRevoked = Static<typeof SessionsRevokedSchema>
