/**
 * What the API reads from a request body, and when: JSON everywhere, a manager's image on
 * POST /api/media only, and nothing at all before it knows the body is wanted. The large
 * requests go over a real socket, as a stranger's would, while /api/health is asked
 * alongside.
 */
import { randomUUID } from 'node:crypto'
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MediaAsset } from '../../src/shared/replies'
import { sizeChartPng } from '../../src/server/demo/art-png'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

const MB = 1024 * 1024

function form(bytes: Buffer, filename = 'a.png', type = 'image/png'): { body: Buffer; contentType: string } {
  const boundary = `----gs${randomUUID()}`
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}

interface Answer {
  status: number
  body: string
  /** Milliseconds from the first byte sent to the response's headers. */
  ms: number
  /** How much of the body had been handed to the socket when the answer came. */
  sentWhenAnswered: number
}

/**
 * Send `body` in pieces with pauses between them, as an upload over a real network goes;
 * `stopAfter` bytes and no more when the rest should never be needed.
 */
function upload(
  url: string,
  options: { method: string; headers: Record<string, string>; body: Buffer; stopAfter?: number },
): Promise<Answer> {
  const { method, headers, body } = options
  const chunk = 256 * 1024
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let sent = 0
    let answered = false
    // Kept alive as a browser's connection is: the server then drains the rest of a body it
    // answered early instead of closing on a sender still writing.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const req = httpRequest(url, { method, headers: { ...headers, 'content-length': String(body.length) }, agent })
    req.on('response', (res: IncomingMessage) => {
      answered = true
      const ms = performance.now() - started
      const sentWhenAnswered = sent
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (part: string) => (text += part))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: text, ms, sentWhenAnswered })
        req.destroy()
        agent.destroy()
      })
    })
    // The server may close its side once it has answered; that is not a failure here.
    req.on('error', (error) => (answered ? undefined : reject(error)))
    const limit = Math.min(body.length, options.stopAfter ?? body.length)
    const next = () => {
      if (answered || req.destroyed) return
      if (sent >= limit) {
        if (limit === body.length) req.end()
        return
      }
      const piece = body.subarray(sent, Math.min(sent + chunk, limit))
      sent += piece.length
      req.write(piece, () => setTimeout(next, 5))
    }
    next()
  })
}

describe.each(DB_KINDS)('request bodies (%s)', (kind) => {
  let t: TestApp
  let base: string
  let manager: string
  let guide: string

  beforeAll(async () => {
    // Real mode, as the server was probed: the same routes, and WeCom is a stand-in.
    t = await createTestApp(kind, { mode: 'real' })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
    manager = await signIn(t, 'wanglei')
    guide = await signIn(t, 'lina')
  })
  afterAll(() => t.close())

  const inject = (
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload: string | Buffer,
    headers: Record<string, string>,
  ) => t.app.inject({ method, url, payload, headers })

  describe('anything but JSON', () => {
    const routes: ['POST' | 'PATCH' | 'PUT' | 'DELETE', string][] = [
      ['PATCH', '/api/replies/x'],
      ['POST', '/api/replies'],
      ['PUT', '/api/replies/x/favorite'],
      ['POST', '/api/bundles'],
      ['PATCH', '/api/customers/x/facts'],
      ['POST', '/api/coupon-templates'],
      ['POST', '/api/redemptions'],
      ['POST', '/api/auth/logout'],
      ['POST', '/api/no-such-route'],
    ]
    const types = ['text/plain', 'image/png', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']

    it('is a 415 on every route but the image upload, signed in or not', async () => {
      for (const [method, url] of routes) {
        for (const type of types) {
          for (const cookie of [manager, '']) {
            const res = await inject(method, url, '--x\r\n\r\nhello\r\n--x--', { 'content-type': type, cookie })
            expect(res.statusCode, `${method} ${url} ${type}`).toBe(415)
            expect(res.json()).toMatchObject({ error: { code: 'unsupported_media_type', message: expect.any(String) } })
          }
        }
        // A body that names no type at all is not read either.
        const untyped = await t.app.inject({ method, url, body: 'hello', headers: { cookie: manager } })
        expect(untyped.statusCode, `${method} ${url} without a type`).toBe(415)
      }
      expect((await inject('POST', '/api/media', 'hello', { 'content-type': 'text/plain', cookie: manager })).statusCode).toBe(
        415,
      )
    })

    it('lets JSON and empty bodies through as before', async () => {
      const patch = await inject('PATCH', '/api/replies/nope', JSON.stringify({ title: 'x' }), {
        'content-type': 'application/json; charset=utf-8',
        cookie: manager,
      })
      expect(patch.statusCode).toBe(404)
      expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBeLessThan(400)
      expect((await inject('PATCH', '/api/replies/x', '{}', { 'content-type': 'application/json' })).statusCode).not.toBe(415)
    })

    it('refuses JSON over 1 MB from its length, before reading it', async () => {
      const big = JSON.stringify({ title: 'x'.repeat(2 * MB) })
      const res = await inject('POST', '/api/replies', big, { 'content-type': 'application/json', cookie: manager })
      expect(res.statusCode).toBe(413)
      expect(res.json().error.code).toBe('payload_too_large')
      const answer = await upload(`${base}/api/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: manager },
        body: Buffer.from(big),
        stopAfter: 64 * 1024,
      })
      expect(answer.status).toBe(413)
      expect(answer.sentWhenAnswered).toBeLessThan(big.length)
    })
  })

  it("answers a stranger's 10.9 MB multipart PATCH at once, and /api/health stays fast while three arrive", async () => {
    const { body, contentType } = form(Buffer.alloc(10.9 * MB - 300, 0x61), 'big.png')
    const uploads = Promise.all(
      [1, 2, 3].map(() => upload(`${base}/api/replies/x`, { method: 'PATCH', headers: { 'content-type': contentType }, body })),
    )
    let done = false
    void uploads.finally(() => (done = true))
    const health: number[] = []
    while (!done || health.length < 5) {
      const started = performance.now()
      const res = await fetch(`${base}/api/health`)
      expect(res.status).toBe(200)
      await res.arrayBuffer()
      health.push(performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    for (const answer of await uploads) {
      expect(answer.status).toBe(415)
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unsupported_media_type' } })
      // Answered from the headers: long before the upload could have been read and checked.
      expect(answer.ms).toBeLessThan(1000)
      expect(answer.sentWhenAnswered).toBeLessThan(body.length)
    }
    expect(Math.max(...health)).toBeLessThan(1000)
  })

  describe('POST /api/media', () => {
    const { body: bigForm, contentType: bigType } = form(Buffer.alloc(10.9 * MB - 300, 0x61), 'big.png')
    /** A 10.9 MB upload sent as a network sends it: an answer before its end was given from the headers. */
    const startBigUpload = (cookie?: string) =>
      upload(`${base}/api/media`, {
        method: 'POST',
        headers: { 'content-type': bigType, ...(cookie ? { cookie } : {}) },
        body: bigForm,
      })

    it('answers 401 without a session before the upload is through', async () => {
      const answer = await startBigUpload()
      expect(answer.status).toBe(401)
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unauthorized' } })
      expect(answer.sentWhenAnswered).toBeLessThan(bigForm.length / 2)
    })

    it('answers 403 to a guide who is not a manager, also before the upload is through', async () => {
      const { body, contentType } = form(sizeChartPng('#101112'))
      const small = await inject('POST', '/api/media', body, { 'content-type': contentType, cookie: guide })
      expect(small.statusCode).toBe(403)
      const answer = await startBigUpload(guide)
      expect(answer.status).toBe(403)
      expect(answer.sentWhenAnswered).toBeLessThan(bigForm.length / 2)
    })

    it("takes a manager's PNG as a form or as the bytes themselves", async () => {
      const png = sizeChartPng('#202122')
      const { body, contentType } = form(png, '尺码表.png')
      const res = await inject('POST', '/api/media', body, { 'content-type': contentType, cookie: manager })
      expect(res.statusCode, res.body).toBe(201)
      expect(res.json() as MediaAsset).toMatchObject({ mime: 'image/png', size: png.length })
      const raw = await inject('POST', '/api/media', sizeChartPng('#232425'), {
        'content-type': 'image/png',
        'x-filename': encodeURIComponent('吊牌.png'),
        cookie: manager,
      })
      expect(raw.statusCode, raw.body).toBe(201)
      // Over the socket as the app sends it.
      const answer = await upload(`${base}/api/media`, {
        method: 'POST',
        headers: { 'content-type': contentType, cookie: manager },
        body,
      })
      expect(answer.status).toBe(201)
      expect((JSON.parse(answer.body) as MediaAsset).id).toBe((res.json() as MediaAsset).id)
    })

    it('refuses more than 10 MB with a 413, as a form or as bytes', async () => {
      const tooBig = Buffer.concat([sizeChartPng('#303132'), Buffer.alloc(10 * MB)])
      const asForm = form(tooBig)
      for (const res of [
        await inject('POST', '/api/media', asForm.body, { 'content-type': asForm.contentType, cookie: manager }),
        await inject('POST', '/api/media', tooBig, { 'content-type': 'image/png', cookie: manager }),
      ]) {
        expect(res.statusCode).toBe(413)
        expect(res.json()).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringMatching(/10 MB/) } })
      }
      // A form whose file is just over the limit though the whole request is not far over it.
      const justOver = form(Buffer.concat([sizeChartPng('#333435'), Buffer.alloc(10 * MB - 100)]))
      const res = await inject('POST', '/api/media', justOver.body, { 'content-type': justOver.contentType, cookie: manager })
      expect(res.statusCode).toBe(413)
      expect(res.json().error.message).toMatch(/10 MB/)
      // The 413 comes from the length alone, before the body is read.
      const answer = await startBigUpload(manager)
      expect(answer.status).toBe(413)
      expect(answer.sentWhenAnswered).toBeLessThan(bigForm.length / 2)
    })

    it('refuses bytes that are not a JPG or PNG with a 400', async () => {
      const fake = form(Buffer.from('GIF89a not an image we take'), 'looks.png')
      const res = await inject('POST', '/api/media', fake.body, { 'content-type': fake.contentType, cookie: manager })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toMatch(/JPG|PNG/)
      const raw = await inject('POST', '/api/media', Buffer.from('plain words'), {
        'content-type': 'application/octet-stream',
        cookie: manager,
      })
      expect(raw.statusCode).toBe(400)
      const noFile = await inject('POST', '/api/media', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n', {
        'content-type': 'multipart/form-data; boundary=x',
        cookie: manager,
      })
      expect(noFile.statusCode).toBe(400)
      // A form that is not one: a 400 that says so, never a 500.
      for (const [type, payload] of [
        ['multipart/form-data', 'no boundary named'],
        ['multipart/form-data; boundary=x', 'no boundary in the body'],
        [
          'multipart/form-data; boundary=x',
          '--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG',
        ],
      ]) {
        const res = await inject('POST', '/api/media', payload!, { 'content-type': type!, cookie: manager })
        expect(res.statusCode, `${type} ${payload}`).toBe(400)
        expect(res.json().error.code).toBe('bad_request')
      }
    })
  })
})
