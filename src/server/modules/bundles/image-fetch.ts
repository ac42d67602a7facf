/**
 * Fetching a catalogue picture for a collage from wherever the catalogue says it lives,
 * without becoming a way into our own network: only http(s); every address the host
 * resolves to must be public (checked in the connection's own lookup, so the address
 * checked is the address connected to), on every redirect too (followed by hand, at most
 * three); the body is cut off as soon as it passes the size cap, and the whole fetch has
 * a deadline. Hosts named in IMAGE_FETCH_ALLOW_HOSTS skip the address check (an intranet
 * picture server).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'

export class ImageFetchRefused extends Error {
  override name = 'ImageFetchRefused'
}

export interface ImageFetchOptions {
  /** Host names or IP literals allowed to be private (compared lower-case, IPv6 without brackets). */
  allowHosts?: readonly string[]
  timeoutMs?: number
  maxBytes?: number
  maxRedirects?: number
  /** How host names become addresses (tests map names; default node:dns). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>
}

export interface FetchedImage {
  status: number
  contentType: string | undefined
  data: Buffer
}

export const IMAGE_FETCH_DEFAULTS = { timeoutMs: 5000, maxBytes: 8 * 1024 * 1024, maxRedirects: 3 }

const blocked = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  blocked.addSubnet(network, prefix, 'ipv6')

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase()
  const match = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(lower)
  if (!match) return null
  if (match[1]) return match[1]
  const high = parseInt(match[2]!, 16)
  const low = parseInt(match[3]!, 16)
  return [high >> 8, high & 255, low >> 8, low & 255].join('.')
}

/** Private, loopback, link-local, unique-local or otherwise not the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family === 6) {
    const v4 = embeddedIpv4(address)
    return v4 !== null ? blocked.check(v4, 'ipv4') : blocked.check(address, 'ipv6')
  }
  return true
}

const defaultResolve = (hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  )

/** A lookup for http.request that refuses a host if any of its addresses is private. */
function checkedLookup(resolve: (hostname: string) => Promise<LookupAddress[]>): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => isPrivateAddress(a.address))
        if (bad || addresses.length === 0) {
          const reason = bad ? `resolves to a private address (${bad.address})` : 'has no address'
          return callback(new ImageFetchRefused(`${hostname} ${reason}`), '', 4)
        }
        const wanted =
          options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted)
        const first = wanted[0] ?? addresses[0]!
        callback(null, first.address, first.family)
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    )
  }
}

function checkUrl(url: URL, allowHosts: ReadonlySet<string>): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ImageFetchRefused(`${url.protocol} is not http(s)`)
  if (url.username || url.password) throw new ImageFetchRefused('URLs with credentials are not fetched')
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  if (allowHosts.has(host)) return true
  if (isIP(host) && isPrivateAddress(host)) throw new ImageFetchRefused(`${host} is a private address`)
  return false
}

function get(url: URL, lookup: LookupFunction | undefined, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const request = client.get(url, { lookup, signal, headers: { accept: 'image/*' }, agent: false }, resolve)
    request.on('error', reject)
  })
}

/** Read at most `maxBytes`, refusing (and dropping the connection) the moment there is more. */
function readCapped(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    response.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        // Rejected first: dropping the connection then reports it cut off, which is not why.
        reject(new ImageFetchRefused(`the picture is larger than ${maxBytes} bytes`))
        response.destroy()
        return
      }
      chunks.push(chunk)
    })
    response.on('end', () => resolve(Buffer.concat(chunks)))
    response.on('error', reject)
    response.on('aborted', () => reject(new Error('the picture was cut off')))
  })
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * Fetch a picture. Throws ImageFetchRefused when the URL or its size is not allowed (a
 * lasting answer), other errors when the fetch failed or timed out (worth trying again).
 */
export async function fetchImage(input: string, options: ImageFetchOptions = {}): Promise<FetchedImage> {
  const { timeoutMs, maxBytes, maxRedirects } = { ...IMAGE_FETCH_DEFAULTS, ...options }
  const allowHosts = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase().replace(/^\[|\]$/g, '')))
  const checked = checkedLookup(options.resolve ?? defaultResolve)
  const signal = AbortSignal.timeout(timeoutMs)
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new ImageFetchRefused('not an absolute URL')
  }
  for (let redirects = 0; ; redirects++) {
    const allowed = checkUrl(url, allowHosts)
    const response = await get(url, allowed ? undefined : checked, signal)
    const location = response.headers.location
    if (REDIRECTS.has(response.statusCode ?? 0) && location) {
      response.destroy()
      if (redirects >= maxRedirects) throw new ImageFetchRefused(`more than ${maxRedirects} redirects`)
      try {
        url = new URL(location, url)
      } catch {
        throw new ImageFetchRefused('a redirect to something that is not a URL')
      }
      continue
    }
    const length = Number(response.headers['content-length'])
    if (Number.isFinite(length) && length > maxBytes) {
      response.destroy()
      throw new ImageFetchRefused(`the picture is larger than ${maxBytes} bytes`)
    }
    const data = await readCapped(response, maxBytes)
    return { status: response.statusCode ?? 0, contentType: response.headers['content-type'], data }
  }
}
