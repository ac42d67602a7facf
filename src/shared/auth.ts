import { Type, type Static } from 'typebox'
import { StringEnum } from './schema'

export const RoleSchema = StringEnum(['guide', 'manager'])
export type Role = Static<typeof RoleSchema>

export const MeSchema = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  role: RoleSchema,
})
export type Me = Static<typeof MeSchema>

export const LoginQuerySchema = Type.Object({
  return: Type.Optional(Type.String({ maxLength: 2048 })),
})

export const CallbackQuerySchema = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 512 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
})
