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
  'rate_limited',
  'wecom_unavailable',
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
  'template_inactive',
  'already_redeemed',
  'coupon_expired',
  'coupon_not_valid_yet',
  'wrong_store',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
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
