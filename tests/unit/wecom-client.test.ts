import { describe, expect, it } from 'vitest'
import { WecomClient, type FetchLike } from '../../src/server/wecom/client'
import { WecomBusyError, WecomError, WecomUnavailableError } from '../../src/server/wecom/errors'
import { ExpiringValue, KeyedSingleFlight, refreshMargin } from '../../src/server/wecom/expiring'

/** A scripted WeCom: counts calls per API and answers from handlers. */
function fakeWecom(handlers: Record<string, (url: URL, n: number) => unknown>, delayMs = 5) {
  const calls: Record<string, number> = {}
  const tokensSeen: string[] = []
  const fetch: FetchLike = async (input) => {
    const url = new URL(input)
    const api = url.pathname.replace(/^\/cgi-bin\//, '')
    calls[api] = (calls[api] ?? 0) + 1
    const token = url.searchParams.get('access_token')
    if (token) tokensSeen.push(token)
    await new Promise((resolve) => setTimeout(resolve, delayMs))
    const handler = handlers[api]
    if (!handler) return new Response(JSON.stringify({ errcode: 60023, errmsg: 'no handler' }))
    return new Response(JSON.stringify(handler(url, calls[api]!)))
  }
  return { fetch, calls, tokensSeen }
}

function client(fetch: FetchLike, now = () => 1_000_000, timeoutMs?: number) {
  return new WecomClient({
    corpId: 'corp',
    agentId: '1000002',
    secret: 's',
    apiBase: 'https://wecom.test',
    fetch,
    now,
    busyBackoffMs: [0, 0, 0],
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  })
}

const okToken = (n: number) => ({ errcode: 0, errmsg: 'ok', access_token: `token-${n}`, expires_in: 7200 })
const okTicket = (n: number) => ({ errcode: 0, errmsg: 'ok', ticket: `ticket-${n}`, expires_in: 7200 })

describe('WecomClient token and tickets', () => {
  it('makes one gettoken and one ticket fetch for 40 concurrent first requests', async () => {
    const wecom = fakeWecom({ gettoken: (_, n) => okToken(n), 'ticket/get': (_, n) => okTicket(n) }, 20)
    const c = client(wecom.fetch)
    const tickets = await Promise.all(Array.from({ length: 40 }, () => c.getJsapiTicket('agent')))
    expect(new Set(tickets)).toEqual(new Set(['ticket-1']))
    expect(wecom.calls.gettoken).toBe(1)
    expect(wecom.calls['ticket/get']).toBe(1)
  })

  it('asks for the agent_config ticket for agent and the jsapi ticket for corp', async () => {
    let typeSeen: string | null = null
    const wecom = fakeWecom({
      gettoken: (_, n) => okToken(n),
      'ticket/get': (url) => {
        typeSeen = url.searchParams.get('type')
        return okTicket(1)
      },
      get_jsapi_ticket: () => ({ ...okTicket(1), ticket: 'corp-ticket' }),
    })
    const c = client(wecom.fetch)
    expect(await c.getJsapiTicket('agent')).toBe('ticket-1')
    expect(typeSeen).toBe('agent_config')
    expect(await c.getJsapiTicket('corp')).toBe('corp-ticket')
    expect(wecom.calls.gettoken).toBe(1)
  })

  it('keeps the token until shortly before expiry, then fetches a new one', async () => {
    let now = 0
    const wecom = fakeWecom({ gettoken: (_, n) => okToken(n), 'user/get': () => ({ errcode: 0, errmsg: 'ok', userid: 'u' }) })
    const c = client(wecom.fetch, () => now)
    await c.getUser('u')
    now = 7200_000 - refreshMargin(7200) - 1
    await c.getUser('u')
    expect(wecom.calls.gettoken).toBe(1)
    now = 7200_000 - refreshMargin(7200) + 1
    await c.getUser('u')
    expect(wecom.calls.gettoken).toBe(2)
    expect(wecom.tokensSeen).toEqual(['token-1', 'token-1', 'token-2'])
  })

  it.each([40014, 42001])('on errcode %i drops the token, fetches one new token and retries once', async (errcode) => {
    const wecom = fakeWecom({
      gettoken: (_, n) => okToken(n),
      'user/get': (url) =>
        url.searchParams.get('access_token') === 'token-1'
          ? { errcode, errmsg: 'token invalid' }
          : { errcode: 0, errmsg: 'ok', userid: 'u', name: 'Name' },
    })
    const c = client(wecom.fetch)
    await c.getAccessToken()
    const results = await Promise.all(Array.from({ length: 10 }, () => c.getUser('u')))
    expect(results.every((r) => r.name === 'Name')).toBe(true)
    // One initial token, one replacement shared by all ten failed calls.
    expect(wecom.calls.gettoken).toBe(2)
    expect(wecom.calls['user/get']).toBe(20)
  })

  it('retries a dead token only once, then reports the error', async () => {
    const wecom = fakeWecom({ gettoken: (_, n) => okToken(n), 'user/get': () => ({ errcode: 42001, errmsg: 'expired' }) })
    const c = client(wecom.fetch)
    await expect(c.getUser('u')).rejects.toMatchObject({ errcode: 42001 })
    expect(wecom.calls.gettoken).toBe(2)
    expect(wecom.calls['user/get']).toBe(2)
  })

  it('retries errcode -1 (busy) up to three times', async () => {
    const wecom = fakeWecom({
      gettoken: (_, n) => okToken(n),
      'user/get': (_, n) => (n < 3 ? { errcode: -1, errmsg: 'system busy' } : { errcode: 0, errmsg: 'ok', userid: 'u' }),
    })
    await expect(client(wecom.fetch).getUser('u')).resolves.toMatchObject({ userid: 'u' })
    expect(wecom.calls['user/get']).toBe(3)
  })

  it('does not retry a bad secret', async () => {
    const wecom = fakeWecom({ gettoken: () => ({ errcode: 40001, errmsg: 'invalid credential' }) })
    const c = client(wecom.fetch)
    await expect(c.getAccessToken()).rejects.toBeInstanceOf(WecomError)
    expect(wecom.calls.gettoken).toBe(1)
    // The failure is not cached: the next caller tries again (after config is fixed).
    await expect(c.getAccessToken()).rejects.toBeInstanceOf(WecomError)
    expect(wecom.calls.gettoken).toBe(2)
  })

  it('reports an unreachable WeCom as unavailable', async () => {
    const c = client(async () => {
      throw new TypeError('fetch failed')
    })
    await expect(c.getAccessToken()).rejects.toBeInstanceOf(WecomUnavailableError)
    const html = client(async () => new Response('<html>bad gateway</html>', { status: 502 }))
    await expect(html.getAccessToken()).rejects.toBeInstanceOf(WecomUnavailableError)
  })

  it('treats 84061 from externalcontact/list as no customers', async () => {
    const wecom = fakeWecom({
      gettoken: (_, n) => okToken(n),
      'externalcontact/list': () => ({ errcode: 84061, errmsg: 'not external contact' }),
    })
    await expect(client(wecom.fetch).listExternalContacts('u')).resolves.toEqual([])
  })

  it('reads every page of follow_user', async () => {
    const wecom = fakeWecom({
      gettoken: (_, n) => okToken(n),
      'externalcontact/get': (url) =>
        url.searchParams.get('cursor') === 'p2'
          ? {
              errcode: 0,
              errmsg: 'ok',
              external_contact: { external_userid: 'wm1', name: 'A', type: 1 },
              follow_user: [{ userid: 'b' }],
              next_cursor: '',
            }
          : {
              errcode: 0,
              errmsg: 'ok',
              external_contact: { external_userid: 'wm1', name: 'A', type: 1 },
              follow_user: [{ userid: 'a' }],
              next_cursor: 'p2',
            },
    })
    const result = await client(wecom.fetch).getExternalContact('wm1')
    expect(result.follow_user.map((f) => f.userid)).toEqual(['a', 'b'])
  })

  it('never puts the secret or token anywhere but the query of WeCom calls', async () => {
    const urls: string[] = []
    const c = client(async (input) => {
      urls.push(input)
      const api = new URL(input).pathname
      return new Response(JSON.stringify(api.endsWith('gettoken') ? okToken(1) : { errcode: 0, errmsg: 'ok', userid: 'u' }))
    })
    await c.getUser('u')
    expect(urls[0]).toBe('https://wecom.test/cgi-bin/gettoken?corpid=corp&corpsecret=s')
    expect(urls[1]).toBe('https://wecom.test/cgi-bin/user/get?access_token=token-1&userid=u')
  })
})

describe('WecomClient when WeCom misbehaves', () => {
  const okUser = { errcode: 0, errmsg: 'ok', userid: 'u' }

  it.each([45009, 45033, 40001, 48002, 60020, 40096, 60011, 40058])(
    'calls once on errcode %i: only -1 is retried',
    async (errcode) => {
      const wecom = fakeWecom({ gettoken: (_, n) => okToken(n), 'user/get': () => ({ errcode, errmsg: 'no' }) }, 0)
      await expect(client(wecom.fetch).getUser('u')).rejects.toMatchObject({ errcode })
      expect(wecom.calls['user/get']).toBe(1)
    },
  )

  it('retries -1 three times, then gives up', async () => {
    const wecom = fakeWecom({ gettoken: (_, n) => okToken(n), 'user/get': () => ({ errcode: -1, errmsg: 'system busy' }) }, 0)
    await expect(client(wecom.fetch).getUser('u')).rejects.toMatchObject({ errcode: -1 })
    expect(wecom.calls['user/get']).toBe(4)
  })

  it('makes no call to an API under a frequency limit (45009) until its minute has passed', async () => {
    let now = 5_000_000
    let refuse = true
    const wecom = fakeWecom(
      {
        gettoken: (_, n) => okToken(n),
        'user/get': () => (refuse ? { errcode: 45009, errmsg: 'api freq out of limit' } : okUser),
        'externalcontact/list': () => ({ errcode: 0, errmsg: 'ok', external_userid: [] }),
      },
      0,
    )
    const c = client(wecom.fetch, () => now)
    const first = await c.getUser('u').catch((e: unknown) => e)
    expect(first).toBeInstanceOf(WecomBusyError)
    expect(first).toMatchObject({ errcode: 45009, made: true, retryAfterSeconds: 60, blockedUntil: now + 60_000 })
    refuse = false
    now += 59_000
    for (let i = 0; i < 10; i++) {
      await expect(c.getUser('u')).rejects.toMatchObject({ errcode: 45009, made: false, retryAfterSeconds: 1 })
    }
    expect(wecom.calls['user/get']).toBe(1)
    // Another API is not blocked by this one's limit.
    await expect(c.listExternalContacts('u')).resolves.toEqual([])
    now += 1_000
    await expect(c.getUser('u')).resolves.toMatchObject({ userid: 'u' })
    expect(wecom.calls['user/get']).toBe(2)
  })

  it('pauses briefly on a concurrency limit (45033)', async () => {
    let now = 5_000_000
    const wecom = fakeWecom(
      {
        gettoken: (_, n) => okToken(n),
        'user/get': (_, n) => (n === 1 ? { errcode: 45033, errmsg: 'api concurrent out of limit' } : okUser),
      },
      0,
    )
    const c = client(wecom.fetch, () => now)
    await expect(c.getUser('u')).rejects.toMatchObject({ errcode: 45033, made: true, retryAfterSeconds: 2 })
    await expect(c.getUser('u')).rejects.toMatchObject({ errcode: 45033, made: false })
    expect(wecom.calls['user/get']).toBe(1)
    now += 1_500
    await expect(c.getUser('u')).resolves.toMatchObject({ userid: 'u' })
  })

  it('keeps the last set-up refusal and last success for admins, and says when it is degraded', async () => {
    let now = 5_000_000
    let errcode = 0
    const wecom = fakeWecom(
      { gettoken: (_, n) => okToken(n), 'user/get': () => (errcode ? { errcode, errmsg: 'refused' } : okUser) },
      0,
    )
    const c = client(wecom.fetch, () => now)
    expect(c.status()).toEqual({ lastSuccessAt: null, lastError: null })
    await c.getUser('u')
    expect(c.status()).toEqual({ lastSuccessAt: now, lastError: null })
    expect(c.degraded()).toBe(false)
    now += 1000
    errcode = 60020
    await expect(c.getUser('u')).rejects.toBeInstanceOf(WecomError)
    expect(c.status().lastError).toEqual({ errcode: 60020, errmsg: 'refused', api: 'user/get', at: now })
    expect(c.degraded()).toBe(true)
    now += 1000
    errcode = 60111
    // A call-specific refusal (no such user) means WeCom itself is fine.
    await expect(c.getUser('u')).rejects.toMatchObject({ errcode: 60111 })
    expect(c.degraded()).toBe(false)
    expect(c.status()).toMatchObject({ lastSuccessAt: now, lastError: { errcode: 60020 } })
  })

  it('records an unreachable WeCom with errcode null', async () => {
    const c = client(async () => {
      throw new TypeError('fetch failed')
    })
    await expect(c.getAccessToken()).rejects.toBeInstanceOf(WecomUnavailableError)
    expect(c.status().lastError).toMatchObject({ errcode: null, api: 'gettoken' })
    expect(c.degraded()).toBe(true)
  })

  it('times out a WeCom that sends headers and then stalls the body', async () => {
    let aborted = false
    const c = client(
      async (_input, init) => {
        init?.signal?.addEventListener('abort', () => (aborted = true))
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"errcode":0,'))
          },
        })
        return new Response(body, { status: 200 })
      },
      () => 1_000_000,
      30,
    )
    const started = performance.now()
    await expect(c.getAccessToken()).rejects.toThrow(/no answer within 30 ms/)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(aborted).toBe(true)
  })

  it('times out a WeCom that never answers at all', async () => {
    const c = client(
      () => new Promise<Response>(() => {}),
      () => 1_000_000,
      20,
    )
    await expect(c.getAccessToken()).rejects.toBeInstanceOf(WecomUnavailableError)
  })

  it('remembers an unknown customer or group for five minutes', async () => {
    let now = 5_000_000
    const wecom = fakeWecom(
      {
        gettoken: (_, n) => okToken(n),
        'externalcontact/get': () => ({ errcode: 40096, errmsg: 'invalid external userid' }),
        'externalcontact/groupchat/get': () => ({ errcode: 40050, errmsg: 'invalid chatid' }),
      },
      0,
    )
    const c = client(wecom.fetch, () => now)
    for (let i = 0; i < 20; i++) {
      await expect(c.getExternalContact('wmBogus')).rejects.toMatchObject({ errcode: 40096 })
      await expect(c.getGroupChat('wrBogus')).rejects.toMatchObject({ errcode: 40050 })
    }
    expect(wecom.calls['externalcontact/get']).toBe(1)
    expect(wecom.calls['externalcontact/groupchat/get']).toBe(1)
    // Another id is asked about; an event saying she exists makes us ask again.
    await expect(c.getExternalContact('wmOther')).rejects.toMatchObject({ errcode: 40096 })
    expect(wecom.calls['externalcontact/get']).toBe(2)
    c.forgetUnknown('contact', 'wmBogus')
    await expect(c.getExternalContact('wmBogus')).rejects.toMatchObject({ errcode: 40096 })
    expect(wecom.calls['externalcontact/get']).toBe(3)
    now += 5 * 60_000
    await expect(c.getGroupChat('wrBogus')).rejects.toMatchObject({ errcode: 40050 })
    expect(wecom.calls['externalcontact/groupchat/get']).toBe(2)
  })
})

describe('ExpiringValue', () => {
  it('does not cache a failure and shares one fetch among waiters', async () => {
    let calls = 0
    const value = new ExpiringValue(async () => {
      calls++
      await new Promise((r) => setTimeout(r, 5))
      if (calls === 1) throw new Error('first fails')
      return { value: 'v', expiresIn: 100 }
    })
    const first = await Promise.allSettled([value.get(), value.get()])
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(calls).toBe(1)
    await expect(value.get()).resolves.toBe('v')
    expect(calls).toBe(2)
  })

  it('invalidates only the value the caller saw', async () => {
    let n = 0
    const value = new ExpiringValue(async () => ({ value: `v${++n}`, expiresIn: 7200 }))
    expect(await value.get()).toBe('v1')
    value.invalidate('v0')
    expect(await value.get()).toBe('v1')
    value.invalidate('v1')
    expect(await value.get()).toBe('v2')
  })
})

describe('KeyedSingleFlight', () => {
  it('runs one task per key at a time', async () => {
    const flight = new KeyedSingleFlight<string, number>()
    let runs = 0
    const task = async () => {
      runs++
      await new Promise((r) => setTimeout(r, 5))
      return runs
    }
    const results = await Promise.all([flight.run('a', task), flight.run('a', task), flight.run('b', task)])
    expect(results[0]).toBe(results[1])
    expect(runs).toBe(2)
    expect(flight.size).toBe(0)
  })
})
