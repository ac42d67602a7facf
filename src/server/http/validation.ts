/**
 * Two validators: request bodies are checked strictly (no type coercion, an unknown
 * field is an error rather than silently dropped), while query strings and path
 * parameters — text by nature — are coerced to the numbers their schemas ask for.
 */
import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

function make(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false, ...options })
  addFormats(ajv)
  return ajv
}

export function registerValidation(app: FastifyInstance): void {
  const strict = make({ coerceTypes: false, removeAdditional: false })
  const lenient = make({ coerceTypes: 'array', removeAdditional: true })
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : lenient).compile(schema))
}
