/**
 * The XML WeCom posts: the outer envelope (`<xml><ToUserName/><AgentID/><Encrypt/></xml>`)
 * and, once decrypted, the event inside. Both are flat elements of text; anything else
 * (a DOCTYPE, attributes, nesting where a value belongs) is not WeCom's and is refused.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { ApiError } from '../../http/errors'

const parser = new XMLParser({
  ignoreAttributes: true,
  // Every value stays text: ids like 4561255354251345929 lose digits as numbers.
  parseTagValue: false,
  // No entity expansion at all: WeCom sends CDATA, and entities are how XML bombs start.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
})

/** The fields of `<xml>…</xml>` that hold text, by element name. */
export function parseXmlFields(xml: string, what: string): Record<string, string> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw ApiError.badRequest(`${what} must not declare a DOCTYPE or entities`)
  if (XMLValidator.validate(xml) !== true) throw ApiError.badRequest(`${what} is not well-formed XML`)
  let root: unknown
  try {
    root = (parser.parse(xml) as { xml?: unknown }).xml
  } catch {
    throw ApiError.badRequest(`${what} is not well-formed XML`)
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw ApiError.badRequest(`${what} must be one <xml> element with fields inside`)
  }
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(root)) if (typeof value === 'string') fields[name] = value
  return fields
}

/** The ciphertext of a POSTed callback. */
export function envelopeCiphertext(xml: string): string {
  const encrypted = parseXmlFields(xml, 'the callback body').Encrypt
  if (!encrypted) throw ApiError.badRequest('the callback body has no <Encrypt> element')
  return encrypted
}

/** A change event as we act on it; ids WeCom left out are ''. */
export interface CallbackEvent {
  /** Stable across WeCom's retries of one event: what makes it the same event. */
  key: string
  msgType: string
  event: string
  changeType: string
  userId: string
  externalUserId: string
  chatId: string
  /** A tag or tag group id (change_external_tag). */
  tagId: string
  /** WeCom's CreateTime, in milliseconds. */
  createdAt: number
  failReason: string
  /** del_external_contact: DELETE_BY_TRANSFER when an 在职继承 removed the handover's follow. */
  source: string
}

export function parseEvent(xml: string): CallbackEvent {
  const f = parseXmlFields(xml, 'the decrypted message')
  const createTime = f.CreateTime ?? ''
  if (!/^\d{1,12}$/.test(createTime)) throw ApiError.badRequest('the decrypted message has no valid <CreateTime>')
  const event: Omit<CallbackEvent, 'key'> = {
    msgType: f.MsgType ?? '',
    event: f.Event ?? '',
    changeType: f.ChangeType ?? '',
    userId: f.UserID ?? '',
    externalUserId: f.ExternalUserID ?? '',
    chatId: f.ChatId ?? '',
    tagId: f.Id ?? '',
    createdAt: Number(createTime) * 1000,
    failReason: f.FailReason ?? '',
    source: f.Source ?? '',
  }
  const subject = event.externalUserId || event.chatId || event.tagId || f.MsgId || ''
  const key = [event.msgType, event.event, event.changeType, event.userId, subject, createTime].join('|')
  return { ...event, key }
}
