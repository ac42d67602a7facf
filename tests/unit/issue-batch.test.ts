import { describe, expect, it } from 'vitest'
import { IssueBatcher } from '../../src/server/modules/coupons/issue-batch'

/** A decide step the test lets finish when it wants, recording every batch it was given. */
function gatedDecide() {
  const batches: { key: string; asks: number[] }[] = []
  const gates: (() => void)[] = []
  const decide = async (key: string, asks: number[]) => {
    batches.push({ key, asks })
    await new Promise<void>((open) => gates.push(open))
    if (asks.includes(-1)) throw new Error('batch failed')
    return asks.map((n) => n * 10)
  }
  const openNext = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r))
    gates.shift()!()
  }
  return { batches, decide, openNext }
}

describe('IssueBatcher', () => {
  const turn = () => new Promise((r) => setImmediate(r))

  it('decides the sends that arrived together in one batch, and those that queued behind it in the next', async () => {
    const { batches, decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide)
    const together = [1, 2].map((n) => batcher.submit('t1', n))
    expect(batches).toEqual([])
    await turn()
    expect(batches).toEqual([{ key: 't1', asks: [1, 2] }])
    const queued = [3, 4, 5].map((n) => batcher.submit('t1', n))
    await openNext()
    expect(await Promise.all(together)).toEqual([10, 20])
    await openNext()
    expect(await Promise.all(queued)).toEqual([30, 40, 50])
    expect(batches).toEqual([
      { key: 't1', asks: [1, 2] },
      { key: 't1', asks: [3, 4, 5] },
    ])
  })

  it("sends the next batch's first query before it hands out the answers of the batch just decided", async () => {
    // Like PostgreSQL's pool, the decision's query leaves on a later tick than the call.
    const events: string[] = []
    const gates: (() => void)[] = []
    const decide = async (_key: string, asks: number[]) => {
      process.nextTick(() => events.push(`query ${asks.join()}`))
      await new Promise<void>((open) => gates.push(open))
      return asks.map((n) => n * 10)
    }
    const batcher = new IssueBatcher(decide)
    const first = batcher.submit('t1', 1).then((n) => events.push(`answer ${n}`))
    await turn()
    const second = batcher.submit('t1', 2).then((n) => events.push(`answer ${n}`))
    gates.shift()!()
    await first
    await turn()
    gates.shift()!()
    await second
    expect(events).toEqual(['query 1', 'query 2', 'answer 10', 'answer 20'])
  })

  it('starts a lone send within the turn, without a timer', async () => {
    const { batches, decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide)
    const lone = batcher.submit('t1', 7)
    await turn()
    expect(batches).toEqual([{ key: 't1', asks: [7] }])
    await openNext()
    expect(await lone).toBe(70)
  })

  it('keeps coupons apart: another template does not wait for this one', async () => {
    const { batches, decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide)
    const a = batcher.submit('a', 1)
    const b = batcher.submit('b', 2)
    await turn()
    expect(batches.map((batch) => batch.key)).toEqual(['a', 'b'])
    await openNext()
    await openNext()
    expect([await a, await b]).toEqual([10, 20])
  })

  it('fails only the batch whose decision threw, and goes on with the next', async () => {
    const { decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide)
    const first = batcher.submit('t', 1)
    await turn()
    const doomed = [batcher.submit('t', -1), batcher.submit('t', 2)]
    await openNext()
    await first
    const later = batcher.submit('t', 3)
    await openNext()
    for (const outcome of doomed) await expect(outcome).rejects.toThrow('batch failed')
    await openNext()
    expect(await later).toBe(30)
  })

  it('fails a batch whose decision throws before it returns a promise, and goes on with the next', async () => {
    let calls = 0
    const batcher = new IssueBatcher((_key: string, asks: number[]) => {
      if (calls++ === 0) throw new Error('thrown at once')
      return Promise.resolve(asks.map((n) => n * 10))
    })
    const first = batcher.submit('t', 1)
    await expect(first).rejects.toThrow('thrown at once')
    expect(await batcher.submit('t', 2)).toBe(20)
  })

  it('splits a long queue into batches of at most maxBatch', async () => {
    const { batches, decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide, 2)
    const all = [1, 2, 3, 4, 5].map((n) => batcher.submit('t', n))
    for (let i = 0; i < 3; i++) await openNext()
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50])
    expect(batches.map((batch) => batch.asks)).toEqual([[1, 2], [3, 4], [5]])
  })
})
