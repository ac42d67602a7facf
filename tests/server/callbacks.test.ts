import { randomUUID } from 'node:crypto'
import { encrypt, getSignature } from '@wecom/crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, ConfigError } from '../../src/server/env'
import { PROFILE_STALE_MS } from '../../src/server/modules/customers/customers.service'
import { syncGuideCustomers } from '../../src/server/modules/customers/guide-sync'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, FIXED_NOW, REAL_CORP_ID, signIn, type TestApp } from '../helpers/app'
import { addWorldCustomer, insertCouponTemplate } from '../helpers/world'

/** The official WXBizMsgCrypt sample (../shared/wecom-reference.md §4). */
const SAMPLE = {
  token: 'QDG6eK',
  corpId: 'wx5823bf96d3bd56c7',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
}
const CALLBACK_ENV = { WECOM_CALLBACK_TOKEN: SAMPLE.token, WECOM_CALLBACK_AES_KEY: SAMPLE.aesKey }
const URL_PATH = '/api/wecom/callback'

function eventXml(fields: Record<string, string | number>): string {
  const inner = Object.entries(fields)
    .map(([name, value]) =>
      typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`,
    )
    .join('')
  return `<xml><ToUserName><![CDATA[${REAL_CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><MsgType><![CDATA[event]]></MsgType>${inner}</xml>`
}

/** A POST as WeCom makes it: the event encrypted for `corpId`, signed at `timestamp` (seconds). */
function signedPost(t: TestApp, plaintext: string, options: { corpId?: string; timestamp?: number; tamper?: boolean } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(t.clock.value / 1000))
  const nonce = String(Math.floor(Math.random() * 1e9))
  const encrypted = encrypt(SAMPLE.aesKey, plaintext, options.corpId ?? t.config.wecom.corpId)
  let signature = getSignature(SAMPLE.token, timestamp, nonce, encrypted)
  if (options.tamper) signature = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1)
  return t.app.inject({
    method: 'POST',
    url: `${URL_PATH}?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    headers: { 'content-type': 'text/xml' },
    payload: `<xml><ToUserName><![CDATA[${t.config.wecom.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[1000005]]></AgentID></xml>`,
  })
}

const seconds = (ms: number) => Math.floor(ms / 1000)

describe('callback configuration', () => {
  it('wants both the token and a 43-character key, naming what is wrong', () => {
    const load = (env: Record<string, string>) => loadConfig(env, { persistSecrets: false, cwd: '/tmp/gs-callback-config' })
    expect(load(CALLBACK_ENV).wecom.callback).toEqual({ token: SAMPLE.token, aesKey: SAMPLE.aesKey })
    expect(load({}).wecom.callback).toBeNull()
    expect(() => load({ WECOM_CALLBACK_TOKEN: SAMPLE.token })).toThrow(/WECOM_CALLBACK_AES_KEY/)
    expect(() => load({ WECOM_CALLBACK_AES_KEY: SAMPLE.aesKey })).toThrow(/WECOM_CALLBACK_TOKEN/)
    expect(() => load({ ...CALLBACK_ENV, WECOM_CALLBACK_AES_KEY: SAMPLE.aesKey.slice(1) })).toThrow(ConfigError)
    expect(() => load({ ...CALLBACK_ENV, WECOM_CALLBACK_AES_KEY: `${SAMPLE.aesKey.slice(1)}+` })).toThrow(
      /WECOM_CALLBACK_AES_KEY must be .* 43/,
    )
    expect(() => load({ ...CALLBACK_ENV, WECOM_CALLBACK_TOKEN: 'has space' })).toThrow(/WECOM_CALLBACK_TOKEN/)
  })
})

describe.each(DB_KINDS)('WeCom callbacks: the official vectors (%s)', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real', seed: false, env: { WECOM_CORP_ID: SAMPLE.corpId, ...CALLBACK_ENV } })
  })
  afterAll(() => t.close())

  const verify = (signature = '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3') =>
    t.app.inject({
      method: 'GET',
      url: URL_PATH,
      query: {
        msg_signature: signature,
        timestamp: '1409659589',
        nonce: '263014780',
        echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
      },
    })

  it('answers the URL check with the plaintext of echostr and nothing else', async () => {
    const res = await verify()
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('1616140317555161061')
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
  })

  it('refuses a URL check whose signature does not match', async () => {
    const res = await verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4')
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('forbidden')
  })

  const postVector = () =>
    t.app.inject({
      method: 'POST',
      url: `${URL_PATH}?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149`,
      headers: { 'content-type': 'text/xml' },
      payload:
        '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>',
    })

  it('verifies and decrypts the POST vector (at its own time), answering success at once', async () => {
    t.clock.value = 1409659813 * 1000 + 20_000
    try {
      const res = await postVector()
      expect(res.statusCode).toBe(200)
      expect(res.body).toBe('success')
      await t.ctx.background.idle()
      const rows = await t.testDb.db.kysely.selectFrom('wecom_callback_events').selectAll().execute()
      // The sample is a text message ("hello", MsgId 4561255354251345929): decrypted, read, not acted on.
      expect(rows).toHaveLength(1)
      expect(rows[0]!.key).toContain('4561255354251345929')
      expect(rows[0]!.event).toBe('text')
      expect(rows[0]!.outcome).toBe('ignored')
    } finally {
      t.clock.value = FIXED_NOW
    }
  })

  it('refuses the same POST vector today: it is a replay', async () => {
    const res = await postVector()
    expect(res.statusCode).toBe(403)
    expect(res.json().error.message).toMatch(/5 minutes/)
  })
})

describe.each(DB_KINDS)('WeCom callbacks: refused input (%s)', (kind) => {
  let t: TestApp
  let bare: TestApp
  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real', seed: false, env: CALLBACK_ENV })
    bare = await createTestApp(kind, { mode: 'real', seed: false })
  })
  afterAll(async () => {
    await t.close()
    await bare.close()
  })

  const ping = eventXml({ CreateTime: 0, Event: 'change_external_tag', ChangeType: 'update', Id: 'et1', TagType: 'tag' })
  const fresh = () => ping.replace('<CreateTime>0</CreateTime>', `<CreateTime>${seconds(t.clock.value)}</CreateTime>`)

  it('answers 404 with a clear error when callbacks are not configured', async () => {
    const get = await bare.app.inject({ method: 'GET', url: `${URL_PATH}?msg_signature=x` })
    expect(get.statusCode).toBe(404)
    expect(get.json().error.message).toMatch(/WECOM_CALLBACK_TOKEN/)
    const post = await bare.app.inject({
      method: 'POST',
      url: URL_PATH,
      headers: { 'content-type': 'text/xml' },
      payload: '<xml/>',
    })
    expect(post.statusCode).toBe(404)
  })

  it('accepts a fresh, signed event', async () => {
    const res = await signedPost(t, fresh())
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('success')
    await t.ctx.background.idle()
  })

  it('refuses a tampered signature, another corp id, a replay and a message from the future', async () => {
    const refused = [
      await signedPost(t, fresh(), { tamper: true }),
      await signedPost(t, fresh(), { corpId: 'wwsomeoneelse000001' }),
      await signedPost(t, fresh(), { timestamp: seconds(t.clock.value) - 6 * 60 }),
      await signedPost(t, fresh(), { timestamp: seconds(t.clock.value) + 6 * 60 }),
    ]
    expect(refused.map((r) => r.statusCode)).toEqual([403, 403, 403, 403])
    for (const r of refused) expect(r.json().error.code).toBe('forbidden')
    expect(refused[1]!.json().error.message).toMatch(/receive id/)
    // Four minutes late is still WeCom taking its time.
    expect((await signedPost(t, fresh(), { timestamp: seconds(t.clock.value) - 4 * 60 })).statusCode).toBe(200)
    await t.ctx.background.idle()
  })

  it('refuses malformed XML, outside and inside the encryption, with a 400', async () => {
    const ts = String(seconds(t.clock.value))
    const post = (payload: string, contentType = 'text/xml') =>
      t.app.inject({
        method: 'POST',
        url: `${URL_PATH}?msg_signature=${'a'.repeat(40)}&timestamp=${ts}&nonce=1`,
        headers: { 'content-type': contentType },
        payload,
      })
    for (const payload of ['<xml><Encrypt>abc</xml>', 'not xml', '<xml></xml>', '<xml><Encrypt><a>1</a></Encrypt></xml>']) {
      const res = await post(payload)
      expect(res.statusCode, payload).toBe(400)
      expect(res.json().error.code).toBe('bad_request')
    }
    const bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>'
    expect((await post(bomb, 'application/xml')).statusCode).toBe(400)
    // Signed and encrypted by us, but not XML inside.
    expect((await signedPost(t, 'hello <xml')).statusCode).toBe(400)
    expect((await signedPost(t, '<xml><MsgType>event</MsgType></xml>')).statusCode).toBe(400)
  })

  it('refuses a signed ciphertext that does not decrypt', async () => {
    const ts = String(seconds(t.clock.value))
    const encrypted = 'AAAA'
    const signature = getSignature(SAMPLE.token, ts, '7', encrypted)
    const res = await t.app.inject({
      method: 'POST',
      url: `${URL_PATH}?msg_signature=${signature}&timestamp=${ts}&nonce=7`,
      headers: { 'content-type': 'text/xml' },
      payload: `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
    })
    expect(res.statusCode).toBe(400)
  })

  it('refuses missing parameters, other body types and oversized bodies with a 4xx', async () => {
    const missing = await t.app.inject({
      method: 'POST',
      url: URL_PATH,
      headers: { 'content-type': 'text/xml' },
      payload: '<xml/>',
    })
    expect(missing.statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: `${URL_PATH}?msg_signature=zz&timestamp=1&nonce=1` })).statusCode).toBe(400)
    const json = await t.app.inject({
      method: 'POST',
      url: `${URL_PATH}?msg_signature=${'a'.repeat(40)}&timestamp=1&nonce=1`,
      payload: { Encrypt: 'x' },
    })
    expect(json.statusCode).toBe(415)
    expect(json.json().error.message).toMatch(/send text\/xml or application\/xml$/)
    const form = await t.app.inject({
      method: 'POST',
      url: `${URL_PATH}?msg_signature=${'a'.repeat(40)}&timestamp=1&nonce=1`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1',
    })
    expect(form.statusCode).toBe(415)
    expect(form.json().error.message).not.toContain('application/json')
    const empty = await t.app.inject({
      method: 'POST',
      url: `${URL_PATH}?msg_signature=${'a'.repeat(40)}&timestamp=1&nonce=1`,
      headers: { 'content-type': 'text/xml' },
      payload: '',
    })
    expect(empty.statusCode).toBe(400)
    const huge = await t.app.inject({
      method: 'POST',
      url: `${URL_PATH}?msg_signature=${'a'.repeat(40)}&timestamp=1&nonce=1`,
      headers: { 'content-type': 'text/xml' },
      payload: `<xml><Encrypt>${'A'.repeat(70 * 1024)}</Encrypt></xml>`,
    })
    expect(huge.statusCode).toBe(413)
    expect(huge.json().error.code).toBe('payload_too_large')
  })
})

describe.each(DB_KINDS)('WeCom callbacks: events (%s)', (kind) => {
  let t: TestApp
  let cookie: string
  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real', env: CALLBACK_ENV })
    cookie = await signIn(t, 'lina')
    await t.ctx.background.idle()
  })
  afterAll(() => t.close())

  const contactEvent = (changeType: string, userId: string, externalUserId: string, extra: Record<string, string> = {}) =>
    eventXml({
      CreateTime: seconds(t.clock.value),
      Event: 'change_external_contact',
      ChangeType: changeType,
      UserID: userId,
      ExternalUserID: externalUserId,
      ...extra,
    })
  const deliver = async (xml: string) => {
    const res = await signedPost(t, xml)
    expect(res.statusCode).toBe(200)
    await t.ctx.background.idle()
  }
  const listIds = async (as = cookie) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/customers?limit=100&sort=added', headers: { cookie: as } })
    expect(res.statusCode).toBe(200)
    return (res.json().items as { externalUserId: string }[]).map((c) => c.externalUserId)
  }
  const db = () => t.testDb.db.kysely

  it('adds a new customer to the guide’s list, once however often WeCom delivers it', async () => {
    const id = 'wmcbadd001'
    addWorldCustomer(t, id, [{ userId: 'lina', createtime: seconds(t.clock.value) }])
    expect(await listIds()).not.toContain(id)
    const calls = t.world.callCount('externalcontact/get')
    const xml = contactEvent('add_external_contact', 'lina', id, { State: '', WelcomeCode: 'wc1' })
    // WeCom's three retries, two of them at once as two instances would get them.
    await Promise.all([signedPost(t, xml), signedPost(t, xml)])
    await signedPost(t, xml)
    await t.ctx.background.idle()
    expect(t.world.callCount('externalcontact/get')).toBe(calls + 1)
    const rows = await db().selectFrom('wecom_callback_events').selectAll().where('target_id', '=', id).execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.processed_at).not.toBeNull()
    expect(await listIds()).toContain(id)
  })

  it('refreshes an edited customer', async () => {
    const id = 'wmcbadd001'
    t.world.contacts.get(id)!.follows[0]!.remark = '新备注'
    await deliver(contactEvent('edit_external_contact', 'lina', id))
    const follow = await db().selectFrom('wecom_follows').selectAll().where('external_user_id', '=', id).executeTakeFirstOrThrow()
    expect(follow.remark).toBe('新备注')
  })

  it('forgets that WeCom did not know a customer once an event says she exists', async () => {
    const id = 'wmcblate001'
    const before = await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie } })
    expect(before.statusCode).toBe(404)
    addWorldCustomer(t, id, [{ userId: 'lina', createtime: seconds(t.clock.value) }])
    // Without the event the 404 is remembered for a while: she is not asked about again.
    const calls = t.world.callCount('externalcontact/get')
    expect((await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie } })).statusCode).toBe(404)
    expect(t.world.callCount('externalcontact/get')).toBe(calls)
    await deliver(contactEvent('add_external_contact', 'lina', id))
    const after = await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie } })
    expect(after.statusCode).toBe(200)
    expect(await listIds()).toContain(id)
  })

  it('marks a customer who deleted the guide, keeping what the guide wrote about her', async () => {
    const id = 'wmcbdel001'
    addWorldCustomer(t, id, [{ userId: 'lina', createtime: seconds(t.clock.value) - 86400 }])
    await deliver(contactEvent('add_external_contact', 'lina', id))
    const note = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${id}/notes`,
      headers: { cookie },
      payload: { id: randomUUID(), text: '喜欢宽松款' },
    })
    expect(note.statusCode).toBe(201)
    t.clock.advance(60_000)
    t.world.contacts.get(id)!.follows = []
    await deliver(contactEvent('del_follow_user', 'lina', id))

    // Still in her list and readable, marked with when she did it.
    const deletedAt = new Date(seconds(t.clock.value) * 1000).toISOString()
    const listed = await t.app.inject({ method: 'GET', url: '/api/customers?limit=100', headers: { cookie } })
    const item = (listed.json().items as { externalUserId: string; deletedByCustomerAt: string | null }[]).find(
      (c) => c.externalUserId === id,
    )
    expect(item?.deletedByCustomerAt).toBe(deletedAt)
    expect(
      (listed.json().items as { externalUserId: string; deletedByCustomerAt: string | null }[])
        .filter((c) => c.externalUserId !== id)
        .every((c) => c.deletedByCustomerAt === null),
    ).toBe(true)
    const end = await db()
      .selectFrom('wecom_follow_ends')
      .selectAll()
      .where('external_user_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(end).toMatchObject({ user_id: 'lina', reason: 'customer_deleted', transferred_to: null })
    expect(Number(end.ended_at)).toBe(t.clock.value)
    const lost = () =>
      db()
        .selectFrom('customer_events')
        .select('id')
        .where('external_user_id', '=', id)
        .where('kind', '=', 'follow_lost')
        .execute()
    expect(await lost()).toHaveLength(1)
    // A refresh from WeCom (which no longer lists her for lina) and WeCom's retry keep the mark, counted once.
    const reads = t.world.callCount('externalcontact/get')
    t.clock.advance(PROFILE_STALE_MS + 1000)
    const profile = await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie } })
    expect(profile.statusCode).toBe(200)
    expect(profile.json().follow.deletedByCustomerAt).toBe(deletedAt)
    await t.ctx.background.idle()
    expect(t.world.callCount('externalcontact/get')).toBe(reads + 1)
    const again = await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie } })
    expect(again.json().follow.deletedByCustomerAt).toBe(deletedAt)
    await deliver(contactEvent('del_follow_user', 'lina', id))
    expect(await listIds()).toContain(id)
    expect(await lost()).toHaveLength(1)
    // Her history stays: the customer record and the guide's note.
    expect(
      await db().selectFrom('wecom_customers').select('name').where('external_user_id', '=', id).executeTakeFirst(),
    ).toBeTruthy()
    expect(await db().selectFrom('customer_notes').select('text').where('external_user_id', '=', id).execute()).toEqual([
      { text: '喜欢宽松款' },
    ])
  })

  it('keeps a customer who deleted the guide through a full resync, and drops the mark when she adds the guide again', async () => {
    const id = 'wmcbdel001'
    await syncGuideCustomers(t.ctx, 'lina')
    const mark = () =>
      db()
        .selectFrom('wecom_follows')
        .select('deleted_by_customer_at')
        .where('external_user_id', '=', id)
        .where('user_id', '=', 'lina')
        .executeTakeFirst()
    // Depends on the test before: she deleted lina, and WeCom lists her for nobody.
    expect(Number((await mark())?.deleted_by_customer_at)).toBeGreaterThan(0)
    t.clock.advance(60_000)
    addWorldCustomer(t, id, [{ userId: 'lina', createtime: seconds(t.clock.value) }])
    await deliver(contactEvent('add_external_contact', 'lina', id))
    expect(await mark()).toEqual({ deleted_by_customer_at: null })
    expect(await db().selectFrom('wecom_follow_ends').select('reason').where('external_user_id', '=', id).execute()).toEqual([])
    const profile = await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie } })
    expect(profile.json().follow.deletedByCustomerAt).toBeNull()
  })

  it('marks a customer the guide deleted, and ignores a deletion older than a re-add', async () => {
    const id = 'wmcbdel002'
    addWorldCustomer(t, id, [{ userId: 'lina', createtime: seconds(t.clock.value) - 86400 }])
    await deliver(contactEvent('add_external_contact', 'lina', id))
    const stale = eventXml({
      CreateTime: seconds(t.clock.value) - 2 * 86400,
      Event: 'change_external_contact',
      ChangeType: 'del_external_contact',
      UserID: 'lina',
      ExternalUserID: id,
    })
    await deliver(stale)
    expect(await listIds()).toContain(id)
    t.clock.advance(1000)
    await deliver(contactEvent('del_external_contact', 'lina', id))
    expect(await listIds()).not.toContain(id)
    const end = await db()
      .selectFrom('wecom_follow_ends')
      .selectAll()
      .where('external_user_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(end.reason).toBe('guide_deleted')
    // Friends again (WeCom's event has its own CreateTime): the mark goes.
    t.clock.advance(1000)
    await deliver(contactEvent('add_external_contact', 'lina', id))
    expect(await listIds()).toContain(id)
    expect(await db().selectFrom('wecom_follow_ends').selectAll().where('external_user_id', '=', id).execute()).toEqual([])
  })

  it('moves notes, open tasks and unused coupons to the guide who took the customer over', async () => {
    const id = 'wmcbxfer01'
    addWorldCustomer(t, id, [{ userId: 'lina', createtime: seconds(t.clock.value) - 30 * 86400 }])
    await deliver(contactEvent('add_external_contact', 'lina', id))
    const now = t.clock.value
    await db()
      .insertInto('customer_notes')
      .values({
        id: 'n-xfer',
        external_user_id: id,
        author_id: 'lina',
        text: '要 M 码',
        next_follow_up: null,
        outcome: null,
        created_at: now,
      })
      .execute()
    const task = (tid: string, status: 'todo' | 'done') => ({
      id: tid,
      guide_id: 'lina',
      external_user_id: id,
      kind: 'follow_up',
      due_date: '2026-11-26',
      note_id: null,
      title: '回访',
      done_at: status === 'done' ? now : null,
      created_at: now,
      status,
      reason: '',
      skip_reason: null,
      payload: null,
      campaign_id: null,
    })
    await db()
      .insertInto('tasks')
      .values([task('t-open', 'todo'), task('t-done', 'done')])
      .execute()
    const template = await insertCouponTemplate(t)
    const issuance = (cid: string, status: 'sent' | 'redeemed') => ({
      id: cid,
      template_id: template,
      code: cid.toUpperCase(),
      guide_id: 'lina',
      external_user_id: id,
      idempotency_key: randomUUID(),
      status,
      reserved_until: null,
      issued_at: now,
      sent_at: now,
      claimed_at: null,
      redeemed_at: status === 'redeemed' ? now : null,
      redeemed_store_id: null,
      released_at: null,
      release_reason: null,
      valid_from: now,
      valid_until: now + 30 * 86_400_000,
      order_id: null,
    })
    await db()
      .insertInto('coupon_issuances')
      .values([issuance('ci-held', 'sent'), issuance('ci-used', 'redeemed')])
      .execute()

    // 在职继承 done: WeCom's follow moved from lina to chenjing, who is told of her new customer.
    t.clock.advance(24 * 3600_000)
    addWorldCustomer(t, id, [{ userId: 'chenjing', createtime: seconds(t.clock.value) }])
    await deliver(contactEvent('add_external_contact', 'chenjing', id))

    const guideOf = async (table: 'tasks' | 'coupon_issuances', rowId: string) =>
      (await db().selectFrom(table).select('guide_id').where('id', '=', rowId).executeTakeFirstOrThrow()).guide_id
    expect(
      (await db().selectFrom('customer_notes').select('author_id').where('id', '=', 'n-xfer').executeTakeFirstOrThrow())
        .author_id,
    ).toBe('chenjing')
    expect(await guideOf('tasks', 't-open')).toBe('chenjing')
    expect(await guideOf('tasks', 't-done')).toBe('lina')
    expect(await guideOf('coupon_issuances', 'ci-held')).toBe('chenjing')
    expect(await guideOf('coupon_issuances', 'ci-used')).toBe('lina')
    const end = await db()
      .selectFrom('wecom_follow_ends')
      .selectAll()
      .where('external_user_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(end).toMatchObject({ user_id: 'lina', reason: 'transferred', transferred_to: 'chenjing' })
    expect(await listIds()).not.toContain(id)
    expect(await listIds(await signIn(t, 'chenjing'))).toContain(id)
    const profile = await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie } })
    expect(profile.json().error.detail).toMatch(/转给其他导购/)
  })

  it('records a failed transfer and leaves the customer with her guide', async () => {
    const id = 'wmcbadd001'
    await deliver(contactEvent('transfer_fail', 'chenjing', id, { FailReason: 'customer_refused' }))
    const row = await db()
      .selectFrom('wecom_callback_events')
      .selectAll()
      .where('target_id', '=', id)
      .where('change_type', '=', 'transfer_fail')
      .executeTakeFirstOrThrow()
    expect(row.outcome).toBe('transfer_fail: customer_refused')
    expect(await listIds()).toContain(id)
  })

  it('refreshes the company tag list when WeCom says it changed', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/tags', headers: { cookie } })
    expect(before.statusCode).toBe(200)
    t.world.tagGroups[0]!.tags.push({ id: 'et_new_callback', name: '回调新标签' })
    await deliver(
      eventXml({
        CreateTime: seconds(t.clock.value),
        Event: 'change_external_tag',
        ChangeType: 'create',
        Id: 'et_new_callback',
        TagType: 'tag',
      }),
    )
    const after = await t.app.inject({ method: 'GET', url: '/api/tags', headers: { cookie } })
    const names = (after.json().groups as { tags: { name: string }[] }[]).flatMap((g) => g.tags.map((tag) => tag.name))
    expect(names).toContain('回调新标签')
  })

  it('marks a guide who left the company as departed', async () => {
    const leaving = await signIn(t, 'wanglei')
    expect((await t.app.inject({ method: 'GET', url: '/api/customers?limit=1', headers: { cookie: leaving } })).statusCode).toBe(
      200,
    )
    await deliver(
      eventXml({ CreateTime: seconds(t.clock.value), Event: 'change_contact', ChangeType: 'delete_user', UserID: 'wanglei' }),
    )
    const guide = await db().selectFrom('guides').select('left_at').where('user_id', '=', 'wanglei').executeTakeFirstOrThrow()
    expect(Number(guide.left_at)).toBe(t.clock.value)
    expect((await t.app.inject({ method: 'GET', url: '/api/customers?limit=1', headers: { cookie: leaving } })).statusCode).toBe(
      401,
    )
  })

  it('refreshes a cached customer group, and forgets a dismissed one', async () => {
    const group = t.demo.groups.find((g) => g.owner === 'wanglei')!
    const open = () => t.app.inject({ method: 'GET', url: `/api/groups/${group.chatId}`, headers: { cookie } })
    expect((await open()).statusCode).toBe(200)
    t.world.groups.get(group.chatId)!.name = '回调改名的群'
    await deliver(
      eventXml({
        CreateTime: seconds(t.clock.value),
        Event: 'change_external_chat',
        ChatId: group.chatId,
        ChangeType: 'update',
        UpdateDetail: 'change_name',
      }),
    )
    const cached = await db()
      .selectFrom('wecom_group_chats')
      .select('name')
      .where('chat_id', '=', group.chatId)
      .executeTakeFirstOrThrow()
    expect(cached.name).toBe('回调改名的群')
    t.clock.advance(1000)
    await deliver(
      eventXml({
        CreateTime: seconds(t.clock.value),
        Event: 'change_external_chat',
        ChatId: group.chatId,
        ChangeType: 'dismiss',
      }),
    )
    expect(
      await db().selectFrom('wecom_group_chats').select('name').where('chat_id', '=', group.chatId).executeTakeFirst(),
    ).toBeUndefined()
  })
})
