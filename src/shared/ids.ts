/**
 * WeCom ids as they arrive from the JS-SDK or a URL. Real external user ids look like
 * `wmXXXX…` (32+ chars of [A-Za-z0-9_-]); group chat ids `wrXXXX…`. We accept the
 * documented alphabet with a generous length cap so malformed input is a 400, never
 * a query or an upstream call.
 */
export const EXTERNAL_USER_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
export const CHAT_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
/** WeCom member userids: letters, digits and `_-.@`, up to 64 bytes. */
export const USER_ID_PATTERN = '^[A-Za-z0-9_.@-]{1,64}$'

const externalUserIdRe = new RegExp(EXTERNAL_USER_ID_PATTERN)
const chatIdRe = new RegExp(CHAT_ID_PATTERN)

export function isExternalUserId(value: unknown): value is string {
  return typeof value === 'string' && externalUserIdRe.test(value)
}

export function isChatId(value: unknown): value is string {
  return typeof value === 'string' && chatIdRe.test(value)
}
