import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorBody, ErrorCode } from '../../shared/errors'
import {
  MULTI_LINE_NOT_BLANK_PATTERN,
  MULTI_LINE_TEXT_PATTERN,
  SINGLE_LINE_NOT_BLANK_PATTERN,
  TEXT_PATTERNS,
} from '../../shared/text'
import { CONFIG_ERRCODES, WecomBusyError, WecomError, WecomErrcode, WecomUnavailableError } from '../wecom/errors'
import { ApiError } from './errors'

function body(code: ErrorCode, message: string, detail?: string): ErrorBody {
  return { error: detail === undefined ? { code, message } : { code, message, detail } }
}

const CLIENT_ERROR_CODES: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

/**
 * Ajv's words for a field, except for text the shared schemas refuse (src/shared/text.ts):
 * "must match pattern" and a page of regular expression would not tell anyone what to fix.
 */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0]
  const pattern = (first?.params as { pattern?: unknown } | undefined)?.pattern
  if (first?.keyword !== 'pattern' || typeof pattern !== 'string' || !TEXT_PATTERNS.includes(pattern)) return error.message
  const field = `${error.validationContext ?? 'request'}${first.instancePath}`
  const blank = pattern === SINGLE_LINE_NOT_BLANK_PATTERN || pattern === MULTI_LINE_NOT_BLANK_PATTERN ? 'be blank or ' : ''
  const multiline = pattern === MULTI_LINE_TEXT_PATTERN || pattern === MULTI_LINE_NOT_BLANK_PATTERN
  const controls = multiline ? 'control characters other than tab and line feed' : 'control characters'
  return `${field} must not ${blank}contain ${controls} (U+0000–U+001F, U+007F) or unpaired surrogates`
}

/**
 * Fastify's `frameworkErrors`: the router refuses a URL before any route or error handler
 * runs (bad percent-encoding, a path parameter over its 100 characters). Answered in the
 * API's error shape, without echoing the URL back.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send(body('bad_request', 'The URL is not valid: a percent-encoded part is not UTF-8'))
  } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send(body('bad_request', 'A part of the URL path is too long'))
  } else {
    request.log.error({ err: error }, 'Router error')
    void reply.status(500).send(body('internal', 'Something went wrong on our side'))
  }
}

/**
 * One place decides what a failure looks like from outside: our own errors keep their
 * code, bad input is a 400 that names the field, WeCom trouble is a 502/503 the app can
 * retry, and anything else is a 500 whose details stay in the log.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ApiError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds))
      return reply.status(error.statusCode).send(body(error.code, error.message, error.detail))
    }
    if ('validation' in error && error.validation) {
      const where = (error as FastifyError).validationContext ?? 'request'
      return reply.status(400).send(body('bad_request', `Invalid ${where}: ${validationMessage(error as FastifyError)}`))
    }
    if (error instanceof WecomUnavailableError) {
      request.log.warn({ err: error }, 'WeCom unavailable')
      return reply.status(503).send(body('wecom_unavailable', 'WeCom did not answer; try again in a moment'))
    }
    if (error instanceof WecomBusyError) {
      request.log.warn({ api: error.api, errcode: error.errcode, made: error.made }, 'WeCom is limiting us')
      reply.header('retry-after', String(error.retryAfterSeconds))
      return reply.status(503).send(body('wecom_busy', 'WeCom is limiting requests; try again shortly'))
    }
    if (error instanceof WecomError) {
      request.log.warn({ api: error.api, errcode: error.errcode, errmsg: error.errmsg }, 'WeCom error')
      if (error.errcode === WecomErrcode.frequencyLimit || error.errcode === WecomErrcode.concurrencyLimit) {
        reply.header('retry-after', error.errcode === WecomErrcode.frequencyLimit ? '60' : '2')
        return reply.status(503).send(body('wecom_busy', 'WeCom is limiting requests; try again shortly'))
      }
      if (CONFIG_ERRCODES.has(error.errcode)) {
        // Our set-up (secret, IP allow-list, app permissions): nothing the guide can fix;
        // admins read the detail in /api/health.
        return reply
          .status(503)
          .send(body('wecom_unavailable', 'WeCom is not available to the sidebar right now; an administrator has been told'))
      }
      return reply.status(502).send(body('wecom_error', `WeCom refused the request (errcode ${error.errcode})`))
    }
    const status = (error as FastifyError).statusCode
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, unsupported media type) and
      // the multipart reader's limits.
      const code = CLIENT_ERROR_CODES[status] ?? 'bad_request'
      return reply.status(status).send(body(code, error.message))
    }
    request.log.error({ err: error }, 'Unhandled error')
    return reply.status(500).send(body('internal', 'Something went wrong on our side'))
  })
}
