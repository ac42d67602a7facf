/**
 * The collage picture fetcher (issue 14): http(s) only, no private or loopback addresses
 * (by literal, by name, on every redirect) unless the host is allowed, at most three
 * redirects, a size cap enforced while reading, and a deadline.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchImage, ImageFetchRefused, isPrivateAddress } from '../../src/server/modules/bundles/image-fetch'

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')

let server: Server
let base: string
const hits: string[] = []
let hugeClosed: Promise<number>
let markHugeClosed: (sent: number) => void

beforeAll(async () => {
  hugeClosed = new Promise((resolve) => (markHugeClosed = resolve))
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    hits.push(url.pathname)
    if (url.pathname === '/ok.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
    if (url.pathname === '/to') return res.writeHead(302, { location: url.searchParams.get('u') ?? '/' }).end()
    if (url.pathname.startsWith('/hop/')) {
      const left = Number(url.pathname.slice('/hop/'.length))
      return res.writeHead(302, { location: left > 0 ? `/hop/${left - 1}` : '/ok.png' }).end()
    }
    if (url.pathname === '/huge') {
      // No content-length, and no end: only a reader that stops at the cap ever returns.
      res.writeHead(200, { 'content-type': 'image/png' })
      let sent = 0
      const chunk = Buffer.alloc(16 * 1024, 1)
      const pump = () => {
        while (res.write(chunk)) sent += chunk.length
        sent += chunk.length
      }
      res.on('drain', pump)
      res.on('close', () => markHugeClosed(sent))
      return pump()
    }
    if (url.pathname === '/declared') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(100 * 1024 * 1024) })
      return res.write(PNG)
    }
    if (url.pathname === '/slow') return // never answers
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const allowed = { allowHosts: ['127.0.0.1'] }

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd12:3456::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:a9fe:a9fe', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['93.184.216.34', false],
    ['2606:4700:4700::1111', false],
    ['::ffff:8.8.8.8', false],
    ['not-an-address', true],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected)
  })
})

describe('fetchImage', () => {
  it('fetches from a host the configuration allows', async () => {
    const image = await fetchImage(`${base}/ok.png`, allowed)
    expect(image).toEqual({ status: 200, contentType: 'image/png', data: PNG })
  })

  it.each([
    'ftp://example.com/a.png',
    'file:///etc/passwd',
    'data:image/png;base64,AAAA',
    'not a url',
    'http://u:p@example.com/a.png',
  ])('refuses %s', async (url) => {
    await expect(fetchImage(url)).rejects.toBeInstanceOf(ImageFetchRefused)
  })

  it('refuses loopback and private literals without asking them anything', async () => {
    const before = hits.length
    await expect(fetchImage(`${base}/ok.png`)).rejects.toThrow(/private address/)
    await expect(fetchImage('http://[::1]/a.png')).rejects.toBeInstanceOf(ImageFetchRefused)
    await expect(fetchImage('http://169.254.169.254/latest/meta-data/')).rejects.toBeInstanceOf(ImageFetchRefused)
    // 2130706433 is 127.0.0.1 written as one number: the URL parser reads it as such.
    await expect(fetchImage('http://2130706433/a.png')).rejects.toBeInstanceOf(ImageFetchRefused)
    expect(hits.length).toBe(before)
  })

  it('refuses a name when any of its addresses is private', async () => {
    const resolved: string[] = []
    const resolve = async (host: string) => {
      resolved.push(host)
      return host === 'mixed.example'
        ? [
            { address: '93.184.216.34', family: 4 },
            { address: '10.0.0.7', family: 4 },
          ]
        : [{ address: '127.0.0.1', family: 4 }]
    }
    await expect(fetchImage('http://cdn.example/a.png', { resolve })).rejects.toThrow(/cdn.example resolves to a private address/)
    await expect(fetchImage('https://mixed.example/a.png', { resolve })).rejects.toThrow(/10\.0\.0\.7/)
    expect(resolved).toEqual(['cdn.example', 'mixed.example'])
  })

  it('checks every redirect, and follows at most three', async () => {
    const to = (target: string) => `${base}/to?u=${encodeURIComponent(target)}`
    await expect(fetchImage(to('http://169.254.169.254/latest/meta-data/'), allowed)).rejects.toBeInstanceOf(ImageFetchRefused)
    await expect(fetchImage(to('ftp://example.com/a.png'), allowed)).rejects.toThrow(/not http/)
    const resolve = async () => [{ address: '192.168.0.10', family: 4 }]
    await expect(fetchImage(to('http://intranet.example/a.png'), { ...allowed, resolve })).rejects.toThrow(/private address/)

    expect((await fetchImage(`${base}/hop/2`, allowed)).data).toEqual(PNG)
    await expect(fetchImage(`${base}/hop/3`, allowed)).rejects.toThrow(/more than 3 redirects/)
  })

  it('stops reading as soon as a picture passes the size cap', async () => {
    const started = Date.now()
    await expect(fetchImage(`${base}/huge`, { ...allowed, maxBytes: 64 * 1024 })).rejects.toThrow(/larger than 65536 bytes/)
    // The server saw the connection dropped long before it could have sent much more.
    expect(await hugeClosed).toBeLessThan(16 * 1024 * 1024)
    expect(Date.now() - started).toBeLessThan(4000)
    await expect(fetchImage(`${base}/declared`, { ...allowed, maxBytes: 1024 })).rejects.toThrow(/larger than 1024 bytes/)
  })

  it('gives up at the deadline with an error worth retrying', async () => {
    const started = Date.now()
    const failure = await fetchImage(`${base}/slow`, { ...allowed, timeoutMs: 200 }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(Error)
    expect(failure).not.toBeInstanceOf(ImageFetchRefused)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
