import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CustomerProfile } from '../../src/shared/customer'
import type { TimelineEntry } from '../../src/shared/memory'
import type { AuditPage, CopyPlan, MediaAsset, Reply, ReplyGroup, ReplyLibrary, SendPlan } from '../../src/shared/replies'
import { salutation } from '../../src/shared/reply-fill'
import { buildDemoReplies } from '../../src/server/demo/replies'
import { sizeChartPng } from '../../src/server/demo/art-png'
import { MEDIA_MIN_LEFT_MS, MEDIA_RENEW_MS, MEDIA_TTL_MS } from '../../src/server/modules/media/media.service'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

/** The smallest valid JPEG header a content check accepts: SOI, a SOF0 with 2×3 px, EOI. */
function tinyJpeg(): Buffer {
  return Buffer.from([
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x03, 0x00, 0x02, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    0xff, 0xd9,
  ])
}

function multipart(filename: string, bytes: Buffer, type = 'image/png'): { body: Buffer; contentType: string } {
  const boundary = `----gs${randomUUID()}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  )
  return {
    body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}

describe.each(DB_KINDS)('quick replies (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let chenjing: string
  let manager: string
  let customerId: string
  const demo = buildDemoReplies()

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    chenjing = await signIn(t, 'chenjing')
    manager = await signIn(t, 'wanglei')
    customerId = t.demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!.externalUserId
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, cookie = lina) =>
    t.app.inject({ method, url, payload: payload as object, headers: { cookie } })
  const library = async (cookie = lina) => (await call('GET', '/api/replies', undefined, cookie)).json() as ReplyLibrary
  const corpGroup = (id: string) => demo.groups.find((g) => g.id === id)!

  describe('library', () => {
    it('holds the corporate library and her own replies, not another guide’s', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/replies' })).statusCode).toBe(401)
      const mine = await library()
      const corp = demo.replies.filter((r) => !r.ownerId)
      expect(mine.replies.filter((r) => r.scope === 'corp')).toHaveLength(corp.length)
      expect(mine.replies.filter((r) => r.scope === 'personal').map((r) => r.id)).toEqual(
        demo.replies.filter((r) => r.ownerId === 'lina').map((r) => r.id),
      )
      expect(mine.groups.filter((g) => g.parentId === null && g.scope === 'corp').length).toBeGreaterThanOrEqual(10)
      expect(new Set(mine.replies.flatMap((r) => r.parts.map((p) => p.type)))).toEqual(
        new Set(['text', 'image', 'news', 'miniprogram']),
      )
      // Every image a reply shows can be loaded.
      const images = mine.replies.flatMap((r) => r.parts.flatMap((p) => (p.type === 'image' ? [p.assetId] : [])))
      for (const id of new Set(images)) {
        const asset = mine.assets.find((a) => a.id === id)!
        const file = await t.app.inject({ method: 'GET', url: asset.url })
        expect(file.statusCode).toBe(200)
        expect(file.headers['content-type']).toBe('image/png')
      }
      const theirs = await library(chenjing)
      expect(theirs.replies.some((r) => r.scope === 'personal')).toBe(false)
      // Ordered by hand: positions within a group count up from 0.
      const greeting = mine.replies.filter((r) => r.groupId === 'g_greeting').map((r) => r.position)
      expect(greeting).toEqual(greeting.map((_, i) => i))
    })

    it('keeps favourites per guide', async () => {
      const id = demo.replies[3]!.id
      expect((await call('PUT', `/api/replies/${id}/favorite`, { favorite: true })).statusCode).toBe(204)
      expect((await library()).favorites).toEqual([id])
      expect((await library(chenjing)).favorites).toEqual([])
      await call('PUT', `/api/replies/${id}/favorite`, { favorite: false })
      expect((await library()).favorites).toEqual([])
      expect((await call('PUT', '/api/replies/r_nope/favorite', { favorite: true })).statusCode).toBe(404)
    })
  })

  describe('managing corporate content', () => {
    let created: Reply

    it('lets only managers create corporate replies, and audits who did what', async () => {
      const body = {
        scope: 'corp',
        groupId: 'g_store',
        title: '停车指引',
        parts: [{ type: 'text', text: '{称呼}，商场 B2 停车，消费满 500 免 2 小时。' }],
      }
      expect((await call('POST', '/api/replies', body)).statusCode).toBe(403)
      const res = await call('POST', '/api/replies', body, manager)
      expect(res.statusCode).toBe(201)
      created = res.json() as Reply
      expect(created).toMatchObject({ scope: 'corp', groupId: 'g_store', title: '停车指引', retired: false })
      expect((await library()).replies.find((r) => r.id === created.id)).toBeDefined()
      const audit = (await call('GET', '/api/manage/audit', undefined, manager)).json() as AuditPage
      expect(audit.items[0]).toMatchObject({
        actor: { userId: 'wanglei', name: '王蕾' },
        entity: 'reply',
        entityId: created.id,
        action: 'create',
      })
      expect(audit.items[0]!.summary).toContain('停车指引')
      expect((await call('GET', '/api/manage/audit')).statusCode).toBe(403)
    })

    it('edits, moves and retires a reply; guides stop seeing it at once', async () => {
      t.clock.advance(1000)
      const edited = await call('PATCH', `/api/replies/${created.id}`, { title: '停车与交通' }, manager)
      expect((edited.json() as Reply).title).toBe('停车与交通')
      t.clock.advance(1000)
      const moved = await call('POST', `/api/replies/${created.id}/move`, { groupId: 'g_greeting', position: 0 }, manager)
      expect(moved.json()).toMatchObject({ groupId: 'g_greeting', position: 0 })
      const greeting = (await library()).replies.filter((r) => r.groupId === 'g_greeting')
      expect(greeting.sort((a, b) => a.position - b.position)[0]!.id).toBe(created.id)
      expect(greeting.map((r) => r.position).sort((a, b) => a - b)).toEqual(greeting.map((_, i) => i))
      t.clock.advance(1000)
      expect((await call('PATCH', `/api/replies/${created.id}`, { retired: true }, manager)).statusCode).toBe(200)
      expect((await library()).replies.find((r) => r.id === created.id)).toBeUndefined()
      const desk = (await call('GET', '/api/manage/replies', undefined, manager)).json() as ReplyLibrary
      expect(desk.replies.find((r) => r.id === created.id)?.retired).toBe(true)
      expect((await call('GET', '/api/manage/replies')).statusCode).toBe(403)
      const actions = ((await call('GET', '/api/manage/audit', undefined, manager)).json() as AuditPage).items
        .filter((a) => a.entityId === created.id)
        .map((a) => a.action)
      expect(actions).toEqual(['retire', 'move', 'update', 'create'])
    })

    it('logs only what changed, before → after, with groups by name', async () => {
      const body = { scope: 'corp', groupId: 'g_store', title: '寄存服务', parts: [{ type: 'text', text: '可以寄存' }] }
      const reply = (await call('POST', '/api/replies', body, manager)).json() as Reply
      t.clock.advance(1000)
      // The editor sends its whole form; only the title differs.
      const form = { title: '寄存与取件', parts: reply.parts, tags: [], stages: [], expectedUpdatedAt: reply.updatedAt }
      expect((await call('PATCH', `/api/replies/${reply.id}`, form, manager)).statusCode).toBe(200)
      t.clock.advance(1000)
      await call('POST', `/api/replies/${reply.id}/move`, { groupId: 'g_greeting', position: 0 }, manager)
      const entries = ((await call('GET', '/api/manage/audit', undefined, manager)).json() as AuditPage).items.filter(
        (a) => a.entityId === reply.id,
      )
      expect(entries.map((e) => [e.action, e.summary, e.changes])).toEqual([
        ['move', '寄存与取件', [{ field: 'groupId', before: '门店与服务', after: '开场问候' }]],
        ['update', '寄存与取件', [{ field: 'title', before: '寄存服务', after: '寄存与取件' }]],
        ['create', '寄存服务', []],
      ])
    })

    it('keeps groups two levels deep, and retiring a group hides what is in it', async () => {
      const top = (await call('POST', '/api/reply-groups', { scope: 'corp', name: '直播话术' }, manager)).json() as ReplyGroup
      const sub = await call('POST', '/api/reply-groups', { scope: 'corp', name: '开播预告', parentId: top.id }, manager)
      expect(sub.statusCode).toBe(201)
      const third = await call(
        'POST',
        '/api/reply-groups',
        { scope: 'corp', name: '太深', parentId: (sub.json() as ReplyGroup).id },
        manager,
      )
      expect(third.statusCode).toBe(400)
      expect(third.json().error.message).toContain('two levels')
      expect((await call('POST', '/api/reply-groups', { scope: 'corp', name: '导购不能建' })).statusCode).toBe(403)
      await call('PATCH', `/api/reply-groups/${corpGroup('g_fabric').id}`, { retired: true }, manager)
      const lib = await library()
      expect(lib.groups.find((g) => g.id === 'g_fabric')).toBeUndefined()
      expect(lib.replies.some((r) => r.groupId === 'g_fabric')).toBe(false)
      await call('PATCH', `/api/reply-groups/g_fabric`, { retired: false }, manager)
      expect((await library()).replies.some((r) => r.groupId === 'g_fabric')).toBe(true)
    })

    it.each([
      [
        { type: 'miniprogram', appid: 'wx8a3f6b1c2d4e5f60', page: 'pages/member/index', title: '会员', coverUrl: '/x.png' },
        'page',
      ],
      [{ type: 'miniprogram', appid: 'not-an-appid', page: 'pages/a.html', title: '会员', coverUrl: '/x.png' }, 'appid'],
      [{ type: 'news', title: '新品', desc: '', url: 'javascript:alert(1)', coverUrl: '/x.png' }, 'url'],
      [{ type: 'news', title: '', desc: '', url: 'https://m.example.com', coverUrl: '/x.png' }, 'title'],
      [{ type: 'image', assetId: 'img_missing' }, 'img_missing'],
      [{ type: 'text', text: '' }, 'text'],
      [{ type: 'text', text: ' \n\t ' }, 'text'],
      [{ type: 'news', title: '新品', desc: '', url: 'https://', coverUrl: '/x.png' }, 'url'],
      [{ type: 'news', title: '新品', desc: '', url: 'https:// m.example.com', coverUrl: '/x.png' }, 'url'],
      [{ type: 'news', title: '新品', desc: '', url: 'https://m.example.com/a b', coverUrl: '/x.png' }, 'url'],
      [{ type: 'video', mediaId: 'x' }, 'parts'],
    ])('refuses a bad part %o with a message naming %s', async (part, word) => {
      const res = await call(
        'POST',
        '/api/replies',
        { scope: 'corp', groupId: 'g_store', title: '坏卡片', parts: [part] },
        manager,
      )
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toContain(word)
    })

    it('refuses tags that are only spaces, and takes a well-formed link', async () => {
      const body = { scope: 'corp', groupId: 'g_store', title: '标签', parts: [{ type: 'text', text: 'x' }] }
      const blank = await call('POST', '/api/replies', { ...body, tags: ['复购', '  '] }, manager)
      expect(blank.statusCode).toBe(400)
      expect(blank.json().error.message).toContain('tags')
      const news = { type: 'news', title: '新品', desc: '', url: 'HTTPS://m.example.com/new?a=1', coverUrl: '/x.png' }
      expect((await call('POST', '/api/replies', { ...body, parts: [news] }, manager)).statusCode).toBe(201)
    })

    const newGroup = async (name: string, parentId?: string) => {
      const res = await call('POST', '/api/reply-groups', { scope: 'corp', name, parentId }, manager)
      expect(res.statusCode).toBe(201)
      return res.json() as ReplyGroup
    }
    const newReply = async (groupId: string, title: string) => {
      const res = await call(
        'POST',
        '/api/replies',
        { scope: 'corp', groupId, title, parts: [{ type: 'text', text: title }] },
        manager,
      )
      expect(res.statusCode).toBe(201)
      return res.json() as Reply
    }

    it('refuses a save over someone else’s change (409), but not over a move', async () => {
      const reply = await newReply((await newGroup('版本')).id, '原来的标题')
      // Another manager saves first (the clock need not move: every change moves updatedAt).
      const theirs = await call('PATCH', `/api/replies/${reply.id}`, { title: '别人的标题' }, manager)
      expect(theirs.statusCode).toBe(200)
      const stale = await call(
        'PATCH',
        `/api/replies/${reply.id}`,
        { title: '我的标题', expectedUpdatedAt: reply.updatedAt },
        manager,
      )
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('conflict')
      const desk = (await call('GET', '/api/manage/replies', undefined, manager)).json() as ReplyLibrary
      expect(desk.replies.find((r) => r.id === reply.id)?.title).toBe('别人的标题')
      // Saving on top of the latest copy, and after a move of it, goes through.
      const latest = theirs.json() as Reply
      expect(latest.updatedAt).not.toBe(reply.updatedAt)
      const moved = (await call('POST', `/api/replies/${reply.id}/move`, { position: 0 }, manager)).json() as Reply
      expect(moved.updatedAt).not.toBe(latest.updatedAt)
      const mine = await call(
        'PATCH',
        `/api/replies/${reply.id}`,
        { title: '我的标题', expectedUpdatedAt: moved.updatedAt },
        manager,
      )
      expect(mine.statusCode).toBe(200)
      expect((mine.json() as Reply).title).toBe('我的标题')
      // A version alone changes nothing.
      const nothing = await call('PATCH', `/api/replies/${reply.id}`, { expectedUpdatedAt: moved.updatedAt }, manager)
      expect(nothing.statusCode).toBe(400)
    })

    it('numbers replies and groups 0, 1, 2, … when managers add and move at once', async () => {
      const group = await newGroup('并发')
      const created = await Promise.all([1, 2, 3, 4, 5].map((n) => newReply(group.id, `并发 ${n}`)))
      const positions = async () =>
        ((await call('GET', '/api/manage/replies', undefined, manager)).json() as ReplyLibrary).replies
          .filter((r) => r.groupId === group.id)
          .map((r) => r.position)
          .sort((a, b) => a - b)
      expect(await positions()).toEqual([0, 1, 2, 3, 4])
      const moves = await Promise.all(
        created.map((r, i) => call('POST', `/api/replies/${r.id}/move`, { position: (i * 3) % 5 }, manager)),
      )
      expect(moves.map((m) => m.statusCode)).toEqual([200, 200, 200, 200, 200])
      expect(await positions()).toEqual([0, 1, 2, 3, 4])
      const parent = await newGroup('并发父级')
      await Promise.all([1, 2, 3, 4].map((n) => newGroup(`并发子级 ${n}`, parent.id)))
      const children = ((await call('GET', '/api/manage/replies', undefined, manager)).json() as ReplyLibrary).groups
        .filter((g) => g.parentId === parent.id)
        .map((g) => g.position)
        .sort((a, b) => a - b)
      expect(children).toEqual([0, 1, 2, 3])
    })

    it('never nests three deep, even when a move and a new subgroup cross', async () => {
      for (let round = 0; round < 3; round++) {
        const a = await newGroup(`甲 ${round}`)
        const b = await newGroup(`乙 ${round}`)
        const [moved, created] = await Promise.all([
          call('POST', `/api/reply-groups/${b.id}/move`, { parentId: a.id, position: 0 }, manager),
          call('POST', '/api/reply-groups', { scope: 'corp', name: `丙 ${round}`, parentId: b.id }, manager),
        ])
        // One of them wins; the other is refused, whichever came first.
        const won = [moved.statusCode === 200, created.statusCode === 201]
        expect(won.filter(Boolean)).toHaveLength(1)
        expect(won[0] ? created.statusCode : moved.statusCode).toBe(400)
      }
      const groups = ((await call('GET', '/api/manage/replies', undefined, manager)).json() as ReplyLibrary).groups
      const parentOf = new Map(groups.map((g) => [g.id, g.parentId]))
      for (const g of groups) if (g.parentId) expect(parentOf.get(g.parentId), g.name).toBeNull()
    })

    it('keeps retired groups closed: nothing moves or is created into them, and guides cannot send from them', async () => {
      const open = await newGroup('开着')
      const closed = await newGroup('停用了')
      const under = await newGroup('停用的下级', closed.id)
      const reply = await newReply(open.id, '在开着的分组里')
      const inClosed = await newReply(closed.id, '在停用的分组里')
      const inUnder = await newReply(under.id, '在停用分组的下级里')
      expect((await call('PATCH', `/api/reply-groups/${closed.id}`, { retired: true }, manager)).statusCode).toBe(200)
      const refused = [
        await call('POST', `/api/replies/${reply.id}/move`, { groupId: closed.id, position: 0 }, manager),
        await call('POST', `/api/replies/${reply.id}/move`, { groupId: under.id, position: 0 }, manager),
        await call(
          'POST',
          '/api/replies',
          { scope: 'corp', groupId: closed.id, title: 'x', parts: [{ type: 'text', text: 'x' }] },
          manager,
        ),
        await call('POST', '/api/reply-groups', { scope: 'corp', name: '新的下级', parentId: closed.id }, manager),
        await call('POST', `/api/reply-groups/${open.id}/move`, { parentId: closed.id, position: 0 }, manager),
      ]
      for (const res of refused) {
        expect(res.statusCode).toBe(400)
        expect(res.json().error.message).toContain('retired')
      }
      for (const r of [inClosed, inUnder]) {
        const res = await call('GET', `/api/replies/${r.id}/send-plan?externalUserId=${customerId}`)
        expect(res.statusCode).toBe(404)
        expect(res.json().error.message).toContain('retired')
      }
      expect((await call('GET', `/api/replies/${reply.id}/send-plan?externalUserId=${customerId}`)).statusCode).toBe(200)
      // Reordering inside a retired group is still the manager's business.
      expect((await call('POST', `/api/reply-groups/${under.id}/move`, { position: 0 }, manager)).statusCode).toBe(200)
      await call('PATCH', `/api/reply-groups/${closed.id}`, { retired: false }, manager)
      expect((await call('GET', `/api/replies/${inUnder.id}/send-plan?externalUserId=${customerId}`)).statusCode).toBe(200)
      expect((await call('POST', `/api/replies/${reply.id}/move`, { groupId: under.id, position: 0 }, manager)).statusCode).toBe(
        200,
      )
    })
  })

  describe('personal replies', () => {
    it('are hers to write, edit and retire; nobody else can touch them', async () => {
      const group = (await call('POST', '/api/reply-groups', { scope: 'personal', name: '售后' })).json() as ReplyGroup
      const res = await call('POST', '/api/replies', {
        scope: 'personal',
        groupId: group.id,
        title: '我的退换说明',
        parts: [{ type: 'text', text: '{称呼}放心，7 天内都能换，我帮您办。' }],
      })
      expect(res.statusCode).toBe(201)
      const reply = res.json() as Reply
      expect((await call('PATCH', `/api/replies/${reply.id}`, { title: '偷改' }, chenjing)).statusCode).toBe(404)
      expect((await call('PATCH', `/api/replies/${reply.id}`, { title: '偷改' }, manager)).statusCode).toBe(404)
      const corpGroupForPersonal = await call('POST', '/api/replies', {
        scope: 'personal',
        groupId: 'g_store',
        title: '放错地方',
        parts: [{ type: 'text', text: 'x' }],
      })
      expect(corpGroupForPersonal.statusCode).toBe(400)
      expect((await call('PATCH', `/api/replies/${reply.id}`, { retired: true })).statusCode).toBe(200)
      expect((await library()).replies.some((r) => r.id === reply.id)).toBe(false)
    })
  })

  describe('images', () => {
    it('accepts a PNG or JPEG by its content and keeps one copy of each', async () => {
      const png = sizeChartPng('#123456')
      const upload = multipart('尺码.png', png)
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/media',
        payload: upload.body,
        headers: { cookie: manager, 'content-type': upload.contentType },
      })
      expect(res.statusCode).toBe(201)
      const asset = res.json() as MediaAsset
      expect(asset).toMatchObject({ mime: 'image/png', size: png.length })
      expect(asset.width).toBeGreaterThan(0)
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/media',
        payload: upload.body,
        headers: { cookie: manager, 'content-type': upload.contentType },
      })
      expect((again.json() as MediaAsset).id).toBe(asset.id)
      const jpeg = await t.app.inject({
        method: 'POST',
        url: '/api/media',
        payload: tinyJpeg(),
        headers: { cookie: manager, 'content-type': 'image/jpeg' },
      })
      expect(jpeg.statusCode).toBe(201)
      expect(jpeg.json()).toMatchObject({ mime: 'image/jpeg', width: 2, height: 3 })
    })

    it('keeps a file name with % as it is, and decodes a percent-encoded x-filename', async () => {
      const stored = async (id: string) =>
        (await t.ctx.db.kysely.selectFrom('media_assets').select('filename').where('id', '=', id).executeTakeFirstOrThrow())
          .filename
      const upload = multipart('100%棉.png', sizeChartPng('#0a0b0c'))
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/media',
        payload: upload.body,
        headers: { cookie: manager, 'content-type': upload.contentType },
      })
      expect(res.statusCode).toBe(201)
      expect(await stored((res.json() as MediaAsset).id)).toBe('100%棉.png')
      const raw = (filename: string, color: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/media',
          payload: sizeChartPng(color),
          headers: { cookie: manager, 'content-type': 'image/png', 'x-filename': filename },
        })
      const encoded = await raw(encodeURIComponent('尺码表.png'), '#0c0b0a')
      expect(encoded.statusCode).toBe(201)
      expect(await stored((encoded.json() as MediaAsset).id)).toBe('尺码表.png')
      const percent = await raw('50%off.png', '#0b0c0a')
      expect(percent.statusCode).toBe(201)
      expect(await stored((percent.json() as MediaAsset).id)).toBe('50%off.png')
    })

    it('refuses what is not a JPG or PNG whatever its name, too large, or from a guide', async () => {
      const fake = multipart('看起来像.png', Buffer.from('GIF89a this is not a png at all'))
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/media',
        payload: fake.body,
        headers: { cookie: manager, 'content-type': fake.contentType },
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toMatch(/JPG|PNG/)
      const truncated = sizeChartPng('#123456').subarray(0, 20)
      const cut = await t.app.inject({
        method: 'POST',
        url: '/api/media',
        payload: truncated,
        headers: { cookie: manager, 'content-type': 'image/png' },
      })
      expect(cut.statusCode).toBe(400)
      const big = Buffer.concat([sizeChartPng('#654321'), Buffer.alloc(10 * 1024 * 1024)])
      const huge = await t.app.inject({
        method: 'POST',
        url: '/api/media',
        payload: big,
        headers: { cookie: manager, 'content-type': 'image/png' },
      })
      expect([400, 413]).toContain(huge.statusCode)
      expect(huge.json().error.message).toMatch(/10 ?MB/)
      const png = multipart('a.png', sizeChartPng('#111111'))
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/media',
            payload: png.body,
            headers: { cookie: lina, 'content-type': png.contentType },
          })
        ).statusCode,
      ).toBe(403)
      const empty = await t.app.inject({
        method: 'POST',
        url: '/api/media',
        payload: '',
        headers: { cookie: manager, 'content-type': 'image/png' },
      })
      expect(empty.statusCode).toBe(400)
    })
  })

  describe('sending', () => {
    const careReply = () => demo.replies.find((r) => r.parts.some((p) => p.type === 'image' && p.assetId === 'img_care_label'))!
    const plan = async (id: string, query = `externalUserId=${customerId}`) =>
      (await call('GET', `/api/replies/${id}/send-plan?${query}`)).json() as SendPlan

    it('fills the variables for this customer and this guide', async () => {
      const greeting = demo.replies.find((r) => r.title === '初次添加问候')!
      const profile = (await call('GET', `/api/customers/${customerId}`)).json() as CustomerProfile
      const p = await plan(greeting.id)
      const text = (p.parts[0] as { text: { content: string } }).text.content
      expect(text).toContain(salutation({ remark: profile.follow.remark, name: profile.name, gender: profile.gender }))
      expect(text).toContain('李娜')
      expect(text).not.toMatch(/\{.+?\}/)
      const other = t.demo.customers.find((c) => !c.follows.some((f) => f.userId === 'lina'))!
      expect((await call('GET', `/api/replies/${greeting.id}/send-plan?externalUserId=${other.externalUserId}`)).statusCode).toBe(
        403,
      )
      // No chat open (the workbench, copying): a polite default.
      const anyone = (await call('GET', `/api/replies/${greeting.id}/send-plan`)).json() as SendPlan
      expect((anyone.parts[0] as { text: { content: string } }).text.content.startsWith('亲您好')).toBe(true)
      const group = t.demo.groups.find((g) => g.owner === 'lina' || g.staff.includes('lina'))!
      const inGroup = await plan(greeting.id, `chatId=${group.chatId}`)
      expect((inGroup.parts[0] as { text: { content: string } }).text.content).toContain('大家')
    })

    it('hands out a cached media id, uploads again before it expires, and at once when refused (40007)', async () => {
      const reply = careReply()
      const uploads = () => t.world.callCount('media/upload')
      const before = uploads()
      const first = await plan(reply.id)
      const image = first.parts.find((p) => p.msgtype === 'image') as { image: { mediaid: string }; assetId: string }
      expect(uploads()).toBe(before + 1)
      expect(t.world.liveMedia(image.image.mediaid)).not.toBeNull()
      // Cached: no upload for the next guide.
      const second = await plan(reply.id)
      expect(second.parts.find((p) => p.msgtype === 'image')).toMatchObject({ image: { mediaid: image.image.mediaid } })
      expect(uploads()).toBe(before + 1)
      // Near its end: the cached id is still handed out, and a fresh one uploaded in the background.
      t.clock.advance(MEDIA_TTL_MS - MEDIA_RENEW_MS + 60_000)
      const third = await plan(reply.id)
      expect(third.parts.find((p) => p.msgtype === 'image')).toMatchObject({ image: { mediaid: image.image.mediaid } })
      await t.ctx.background.idle()
      expect(uploads()).toBe(before + 2)
      const renewed = ((await plan(reply.id)).parts.find((p) => p.msgtype === 'image') as { image: { mediaid: string } }).image
        .mediaid
      expect(renewed).not.toBe(image.image.mediaid)
      // Refused by the chat: replaced at once; a second report of the same id does not upload again.
      const refresh = await call('POST', `/api/media/${image.assetId}/refresh`, { mediaId: renewed })
      const replaced = (refresh.json() as { mediaId: string }).mediaId
      expect(replaced).not.toBe(renewed)
      expect(t.world.liveMedia(replaced)).not.toBeNull()
      const count = uploads()
      expect(
        ((await call('POST', `/api/media/${image.assetId}/refresh`, { mediaId: renewed })).json() as { mediaId: string }).mediaId,
      ).toBe(replaced)
      expect(uploads()).toBe(count)
      // Past its end without renewal: uploaded before answering, never handed out dead.
      t.clock.advance(MEDIA_TTL_MS - MEDIA_MIN_LEFT_MS + 1)
      const late = ((await plan(reply.id)).parts.find((p) => p.msgtype === 'image') as { image: { mediaid: string } }).image
        .mediaid
      expect(t.world.liveMedia(late)).not.toBeNull()
    })

    it('uploads nothing for a plan that is only copied', async () => {
      const reply = careReply()
      // The cached media id has expired: a send plan would upload the image again.
      t.clock.advance(MEDIA_TTL_MS)
      const before = t.world.callCount('media/upload')
      const res = await call('GET', `/api/replies/${reply.id}/send-plan?mode=copy`)
      expect(res.statusCode).toBe(200)
      const copy = res.json() as CopyPlan
      const image = copy.parts.find((p) => p.msgtype === 'image')!
      expect(image).toEqual({ msgtype: 'image', assetId: 'img_care_label', previewUrl: '/media/assets/img_care_label' })
      expect((copy.parts[0] as { text: { content: string } }).text.content).not.toMatch(/\{.+?\}/)
      expect(t.world.callCount('media/upload')).toBe(before)
      const send = await plan(reply.id, 'mode=send')
      expect(send.parts.find((p) => p.msgtype === 'image')).toMatchObject({ image: { mediaid: expect.any(String) } })
      expect(t.world.callCount('media/upload')).toBe(before + 1)
      expect((await call('GET', `/api/replies/${reply.id}/send-plan?mode=paste`)).statusCode).toBe(400)
    })

    it('uploads ahead of time every image a live reply uses', async () => {
      t.clock.advance(MEDIA_TTL_MS)
      const before = t.world.callCount('media/upload')
      const { MediaService } = await import('../../src/server/modules/media/media.service')
      const service = new MediaService(t.ctx)
      const images = new Set(demo.replies.flatMap((r) => r.parts.flatMap((p) => (p.type === 'image' ? [p.assetId] : []))))
      expect(await service.renewDue()).toBe(images.size)
      expect(t.world.callCount('media/upload')).toBe(before + images.size)
      expect(await service.renewDue()).toBe(0)
    })

    it('records each send once: usage, and the customer’s timeline', async () => {
      const reply = careReply()
      const report = { id: randomUUID(), externalUserId: customerId, partsSent: 2, partsTotal: 2, edited: false }
      expect((await call('POST', `/api/replies/${reply.id}/sends`, report)).statusCode).toBe(201)
      expect((await call('POST', `/api/replies/${reply.id}/sends`, report)).statusCode).toBe(200)
      const usage = (await library()).usage.find((u) => u.replyId === reply.id)
      expect(usage?.count).toBe(1)
      expect((await library(chenjing)).usage.find((u) => u.replyId === reply.id)).toBeUndefined()
      t.clock.advance(1000)
      const partial = { id: randomUUID(), externalUserId: customerId, partsSent: 1, partsTotal: 2, edited: true }
      await call('POST', `/api/replies/${reply.id}/sends`, partial)
      expect((await library()).usage.find((u) => u.replyId === reply.id)?.count).toBe(2)
      const timeline = (await call('GET', `/api/customers/${customerId}/timeline?kind=reply_sent`)).json() as {
        items: TimelineEntry[]
      }
      expect(timeline.items[0]).toMatchObject({
        kind: 'reply_sent',
        actor: { userId: 'lina' },
        reply: { replyId: reply.id, title: reply.title, partsSent: 1, partsTotal: 2 },
      })
      expect(timeline.items).toHaveLength(2)
      const other = t.demo.customers.find((c) => !c.follows.some((f) => f.userId === 'lina'))!
      expect(
        (
          await call('POST', `/api/replies/${reply.id}/sends`, {
            ...report,
            id: randomUUID(),
            externalUserId: other.externalUserId,
          })
        ).statusCode,
      ).toBe(403)
      expect((await call('POST', `/api/replies/${reply.id}/sends`, { ...report, id: 'not-a-uuid' })).statusCode).toBe(400)
      expect(
        (await call('POST', `/api/replies/${reply.id}/sends`, { ...report, id: randomUUID(), partsSent: 7 })).statusCode,
      ).toBe(400)
      const more = await call('POST', `/api/replies/${reply.id}/sends`, {
        ...report,
        id: randomUUID(),
        partsSent: 3,
        partsTotal: 2,
      })
      expect(more.statusCode).toBe(400)
      expect(more.json().error.message).toContain('partsSent')
    })

    it('records a send into a group chat only from one of its members', async () => {
      const reply = careReply()
      const mine = t.demo.groups.find((g) => g.owner === 'lina' || g.staff.includes('lina'))!
      const theirs = t.demo.groups.find((g) => g.owner !== 'lina' && !g.staff.includes('lina'))!
      const report = (chatId: string) => ({ id: randomUUID(), chatId, partsSent: 2, partsTotal: 2, edited: false })
      expect((await call('POST', `/api/replies/${reply.id}/sends`, report(theirs.chatId))).statusCode).toBe(403)
      expect((await call('POST', `/api/replies/${reply.id}/sends`, report(mine.chatId))).statusCode).toBe(201)
    })

    it('records a report sent twice at once a single time', async () => {
      const reply = careReply()
      const count = async () => (await library()).usage.find((u) => u.replyId === reply.id)?.count ?? 0
      const before = await count()
      const report = { id: randomUUID(), externalUserId: customerId, partsSent: 2, partsTotal: 2, edited: false }
      const answers = await Promise.all([1, 2, 3].map(() => call('POST', `/api/replies/${reply.id}/sends`, report)))
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 201])
      expect(answers.map((a) => a.json().recorded as boolean).filter(Boolean)).toHaveLength(1)
      expect(await count()).toBe(before + 1)
      // The same id for another reply is a conflict, not a second record.
      const other = demo.replies.find((r) => r.id !== reply.id && !r.ownerId)!
      expect((await call('POST', `/api/replies/${other.id}/sends`, report)).statusCode).toBe(409)
    })
  })
})
