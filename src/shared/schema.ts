/**
 * Small TypeBox helpers shared by the schema files.
 *
 * `Nullable` and `StringEnum` emit `type: [T, 'null']` and `enum` rather than TypeBox's
 * `anyOf`: the response serializer (fast-json-stringify) resolves an `anyOf` by running
 * a validator over the value on every response, which made the profile several times
 * slower. The API says "unknown" with null, never by leaving a field out, so the app can
 * rely on every key being present.
 */
import { Type, type Static, type TSchema } from 'typebox'

export function Nullable<T extends TSchema>(schema: T) {
  const { type, enum: values } = schema as { type?: unknown; enum?: unknown }
  if (typeof type !== 'string') throw new Error('Nullable() needs a schema with a single type')
  const nullable: Record<string, unknown> = { ...(schema as Record<string, unknown>), type: [type, 'null'] }
  if (Array.isArray(values)) nullable.enum = [...values, null]
  return Type.Unsafe<Static<T> | null>(nullable)
}

export function StringEnum<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })
}

/** An instant in the API is an ISO 8601 string in UTC (`2026-11-25T12:00:00.000Z`). */
export const Instant = Type.String({ format: 'date-time' })

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
  }),
})
