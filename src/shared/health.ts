import { Type, type Static } from 'typebox'
import { Instant, Nullable, StringEnum } from './schema'

/** What last went wrong talking to WeCom: shown to admins only, never to guides or strangers. */
export const WecomLastErrorSchema = Type.Object({
  /** WeCom's errcode; null when WeCom did not answer (timeout, network, HTTP error). */
  errcode: Nullable(Type.Integer()),
  errmsg: Type.String(),
  /** The API called, e.g. `externalcontact/get`. */
  api: Type.String(),
  at: Instant,
  /** What to do about it, for an admin: where in the WeCom admin console, which setting. */
  message: Type.String(),
})
export type WecomLastError = Static<typeof WecomLastErrorSchema>

export const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  db: StringEnum(['sqlite', 'postgres']),
  wecom: Type.Object({
    mode: StringEnum(['real', 'simulator']),
    /**
     * Admins only (WECOM_ADMIN_IDS or the CRM's admin role). WeCom refusing our set-up
     * (60020, 48002, 40001, 40013, 301002), as any instance last saw it until that API
     * answers again; else this instance's last trouble reaching WeCom (timeouts, limits).
     */
    lastError: Type.Optional(Nullable(WecomLastErrorSchema)),
    /** Admins only: when this instance last had a normal answer from WeCom. */
    lastSuccessAt: Type.Optional(Nullable(Instant)),
  }),
})
export type Health = Static<typeof HealthSchema>
