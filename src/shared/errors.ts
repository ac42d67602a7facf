/**
 * Every error the API returns has the body `{ error: { code, message } }`.
 * Codes are stable: the app and outside checks branch on them, never on messages.
 */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  // A body the route does not read (anything but JSON outside the image upload), or one too large.
  'unsupported_media_type',
  'payload_too_large',
  'rate_limited',
  'wecom_unavailable',
  // WeCom asked us to slow down (45009/45033): a 503 with Retry-After, no call is made meanwhile.
  'wecom_busy',
  'wecom_error',
  'invalid_oauth_state',
  'invalid_oauth_code',
  'not_a_member',
  'internal',
  // Coupons: why an issue was refused (409), and why a till's redemption was.
  'out_of_stock',
  'customer_limit',
  'guide_quota',
  'not_eligible',
  'too_many_orders',
  'template_inactive',
  'already_redeemed',
  'coupon_expired',
  'coupon_not_valid_yet',
  'wrong_store',
  // A card or customer page would carry something private (a remark, a note, a phone).
  'private_text',
  // A write in a manager's preview of a guide's view (the preview is read-only).
  'preview_read_only',
  // A write from a page of another origin (its Origin header is not ours): 403.
  'cross_origin',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    /** What the app may show the guide as it is, e.g. the private words `private_text` found. */
    detail?: string
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false
  const error = (value as { error?: unknown }).error
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  )
}
