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
  it('starts a lone send at once and decides what queued behind it together, in order', async () => {
    const { batches, decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide)
    const first = batcher.submit('t1', 1)
    const queued = [2, 3, 4].map((n) => batcher.submit('t1', n))
    expect(batches).toEqual([{ key: 't1', asks: [1] }])
    await openNext()
    expect(await first).toBe(10)
    await openNext()
    expect(await Promise.all(queued)).toEqual([20, 30, 40])
    expect(batches).toEqual([
      { key: 't1', asks: [1] },
      { key: 't1', asks: [2, 3, 4] },
    ])
  })

  it('keeps coupons apart: another template does not wait for this one', async () => {
    const { batches, decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide)
    const a = batcher.submit('a', 1)
    const b = batcher.submit('b', 2)
    expect(batches.map((batch) => batch.key)).toEqual(['a', 'b'])
    await openNext()
    await openNext()
    expect([await a, await b]).toEqual([10, 20])
  })

  it('fails only the batch whose decision threw, and goes on with the next', async () => {
    const { decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide)
    const first = batcher.submit('t', 1)
    const doomed = [batcher.submit('t', -1), batcher.submit('t', 2)]
    await openNext()
    await first
    const later = batcher.submit('t', 3)
    await openNext()
    for (const outcome of doomed) await expect(outcome).rejects.toThrow('batch failed')
    await openNext()
    expect(await later).toBe(30)
  })

  it('splits a long queue into batches of at most maxBatch', async () => {
    const { batches, decide, openNext } = gatedDecide()
    const batcher = new IssueBatcher(decide, 2)
    const all = [1, 2, 3, 4, 5].map((n) => batcher.submit('t', n))
    for (let i = 0; i < 3; i++) await openNext()
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50])
    expect(batches.map((batch) => batch.asks)).toEqual([[1], [2, 3], [4, 5]])
  })
})
