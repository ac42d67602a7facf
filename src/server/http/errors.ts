import type { ErrorCode } from '../../shared/errors'

/** The one error type routes and services throw; the error handler turns it into `{error:{code,message}}`. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    /** Shown to the guide as it is (see ErrorBody). */
    readonly detail?: string,
    /** Sent as Retry-After (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }

  static rateLimited(message: string, retryAfterSeconds: number): ApiError {
    return new ApiError(429, 'rate_limited', message, undefined, retryAfterSeconds)
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, 'bad_request', message)
  }
  static unauthorized(message = 'Sign in through WeCom first'): ApiError {
    return new ApiError(401, 'unauthorized', message)
  }
  static forbidden(message: string): ApiError {
    return new ApiError(403, 'forbidden', message)
  }
  static notFound(message: string): ApiError {
    return new ApiError(404, 'not_found', message)
  }
}
