import { Type, type Static } from 'typebox'

export const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  wecom: Type.Union([Type.Literal('real'), Type.Literal('simulator')]),
})
export type Health = Static<typeof HealthSchema>
