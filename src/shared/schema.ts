/**
 * Small TypeBox helpers shared by the schema files. `Nullable` exists because the API
 * says "unknown" with null, never by leaving a field out: the app can rely on every
 * key being present.
 */
import { Type, type TSchema } from 'typebox'

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** An instant in the API is an ISO 8601 string in UTC (`2026-11-25T12:00:00.000Z`). */
export const Instant = Type.String({ format: 'date-time' })

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
  }),
})
