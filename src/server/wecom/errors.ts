/** WeCom answered with a non-zero errcode. */
export class WecomError extends Error {
  override name = 'WecomError'
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
    /** WeCom's earlier answer for this id, repeated without a call (UnknownIds). */
    readonly remembered = false,
  ) {
    super(`WeCom ${api} failed: errcode ${errcode} ${errmsg}`)
  }
}

/** WeCom could not be reached, timed out, or answered with something that is not its JSON. */
export class WecomUnavailableError extends Error {
  override name = 'WecomUnavailableError'
  constructor(
    readonly api: string,
    message: string,
  ) {
    super(`WeCom ${api} unavailable: ${message}`)
  }
}

/**
 * WeCom told us to slow down (45009 frequency, 45033 concurrency), or told us so recently
 * and we are still waiting: `made` is false when no call went out at all. Callers answer
 * 503 with `Retry-After`; nobody retries in a loop.
 */
export class WecomBusyError extends WecomError {
  override name = 'WecomBusyError'
  constructor(
    api: string,
    errcode: number,
    errmsg: string,
    /** When calls to this API may start again (the client's clock, epoch ms). */
    readonly blockedUntil: number,
    readonly retryAfterSeconds: number,
    readonly made: boolean,
  ) {
    super(api, errcode, errmsg)
  }
}

/** Errcodes with a meaning we act on. The reference lists where each comes from. */
export const WecomErrcode = {
  busy: -1,
  invalidSecret: 40001,
  invalidCorpId: 40013,
  invalidToken: 40014,
  invalidCode: 40029,
  invalidMediaId: 40007,
  invalidSignature: 40093,
  invalidExternalUserId: 40096,
  tokenExpired: 42001,
  frequencyLimit: 45009,
  concurrencyLimit: 45033,
  apiNotAuthorized: 48002,
  redirectNotTrusted: 50001,
  outsideVisibleRange: 60011,
  ipNotTrusted: 60020,
  userNotFound: 60111,
  notExternalContact: 84061,
  tokenOfOtherAgent: 301002,
} as const

export function isTokenError(errcode: number): boolean {
  return errcode === WecomErrcode.invalidToken || errcode === WecomErrcode.tokenExpired
}

/** WeCom's refusals that say our set-up is wrong (secret, corp id, IP allow-list, app permissions). */
export const CONFIG_ERRCODES: ReadonlySet<number> = new Set([
  WecomErrcode.invalidSecret,
  WecomErrcode.invalidCorpId,
  WecomErrcode.apiNotAuthorized,
  WecomErrcode.ipNotTrusted,
  WecomErrcode.tokenOfOtherAgent,
])

/**
 * Errcodes about WeCom as a service rather than about one call's input: they go into the
 * client's status for admins, and make a cached copy preferable to an error.
 */
export function isServiceErrcode(errcode: number): boolean {
  return (
    CONFIG_ERRCODES.has(errcode) ||
    errcode === WecomErrcode.busy ||
    errcode === WecomErrcode.frequencyLimit ||
    errcode === WecomErrcode.concurrencyLimit
  )
}

/**
 * WeCom cannot answer us now (unreachable, busy, limiting us, or refusing our set-up):
 * where we hold a copy, serve it rather than fail.
 */
export function isWecomOutage(error: unknown): boolean {
  if (error instanceof WecomUnavailableError) return true
  return error instanceof WecomError && isServiceErrcode(error.errcode)
}

/** `externalcontact/get` for a customer we cannot see: a bad id, or no friend relation. */
export const UNKNOWN_CONTACT_ERRCODES: ReadonlySet<number> = new Set([
  WecomErrcode.invalidExternalUserId,
  WecomErrcode.notExternalContact,
])

/** WeCom's answers for a chat id that is not one of the company's customer groups. */
export const UNKNOWN_CHAT_ERRCODES: ReadonlySet<number> = new Set([40050, 40058, 90500, 701008])
