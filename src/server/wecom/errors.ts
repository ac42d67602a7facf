/** WeCom answered with a non-zero errcode. */
export class WecomError extends Error {
  override name = 'WecomError'
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
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
