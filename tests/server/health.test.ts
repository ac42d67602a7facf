import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, type TestApp } from '../helpers/app'

describe.each(DB_KINDS)('GET /api/health (%s)', (kind) => {
  let sim: TestApp
  let real: TestApp
  beforeAll(async () => {
    sim = await createTestApp(kind)
    real = await createTestApp(kind, { mode: 'real' })
  })
  afterAll(async () => {
    await sim.close()
    await real.close()
  })

  it('says which database and which WeCom', async () => {
    const res = await sim.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok', db: kind, wecom: { mode: 'simulator' } })
    const realRes = await real.app.inject({ method: 'GET', url: '/api/health' })
    expect(realRes.json()).toEqual({ status: 'ok', db: kind, wecom: { mode: 'real' } })
  })

  it('answers unknown API paths with the error body', async () => {
    const res = await sim.app.inject({ method: 'GET', url: '/api/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})
