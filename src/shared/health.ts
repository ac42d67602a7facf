import { Type, type Static } from 'typebox'
import { StringEnum } from './schema'

export const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  db: StringEnum(['sqlite', 'postgres']),
  wecom: StringEnum(['real', 'simulator']),
})
export type Health = Static<typeof HealthSchema>
