import type { FastifyError, FastifyInstance } from 'fastify'
import type { ErrorBody, ErrorCode } from '../../shared/errors'
import { WecomError, WecomErrcode, WecomUnavailableError } from '../wecom/errors'
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
 * One place decides what a failure looks like from outside: our own errors keep their
 * code, bad input is a 400 that names the field, WeCom trouble is a 502/503 the app can
 * retry, and anything else is a 500 whose details stay in the log.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send(body(error.code, error.message, error.detail))
    }
    if ('validation' in error && error.validation) {
      const where = (error as FastifyError).validationContext ?? 'request'
      return reply.status(400).send(body('bad_request', `Invalid ${where}: ${error.message}`))
    }
    if (error instanceof WecomUnavailableError) {
      request.log.warn({ err: error }, 'WeCom unavailable')
      return reply.status(503).send(body('wecom_unavailable', 'WeCom did not answer; try again in a moment'))
    }
    if (error instanceof WecomError) {
      request.log.warn({ api: error.api, errcode: error.errcode, errmsg: error.errmsg }, 'WeCom error')
      if (error.errcode === WecomErrcode.frequencyLimit || error.errcode === WecomErrcode.concurrencyLimit) {
        return reply.status(503).send(body('rate_limited', 'WeCom is limiting requests; try again in a minute'))
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
