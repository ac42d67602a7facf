/**
 * SQLite's write-ahead log is copied back into the database file (a checkpoint) by a
 * thread of its own, on its own connection, instead of by the request that happens to
 * commit when the log passes 1,000 pages.
 *
 * Why: better-sqlite3 is synchronous, so a checkpoint run by a commit stops the whole
 * server while it copies the log and waits for two fsyncs. Under a flash sale (one commit
 * a batch of coupon sends, every send dirtying a handful of pages) that was two thirds of
 * each commit's time and its p99 (tests/bench/coupons.ts; a batch of 22 inserts: commit
 * 2.9 ms → 1.0 ms, p99 19 ms → 2 ms). On the checkpoint thread the copying overlaps the
 * requests. No library does this for better-sqlite3; it is a pragma in a loop.
 *
 * The requests' connection still checkpoints by itself once the log passes
 * `SAFETY_NET_PAGES` (64 MB): should this thread fall behind or die, the log stays bounded.
 * In the normal case the log is then already copied and that checkpoint only lets the
 * next commit start the log again from its beginning.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

export const SAFETY_NET_PAGES = 16_384

/** How long the thread rests when the log had nothing new to copy. */
const IDLE_MS = 5

// Plain JavaScript, evaluated as the worker's script: a worker built from a file of its
// own would need that file compiled for every way the server runs (tsx, tests, bundles).
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true })
let timer = null
function step() {
  // PASSIVE copies what no reader still needs and never waits for a lock.
  const [result] = db.pragma('wal_checkpoint(PASSIVE)')
  timer = setTimeout(step, result.log > result.checkpointed ? 0 : workerData.idleMs)
}
parentPort.on('message', () => {
  clearTimeout(timer)
  db.close()
  parentPort.close()
})
step()
`

/**
 * Starts the checkpoint thread for a database file already in WAL mode; what it returns
 * stops the thread and closes its connection.
 */
export function startWalCheckpoints(file: string): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, idleMs: IDLE_MS } })
  // It must never keep a finished process (a command-line import) alive.
  worker.unref()
  let stopped = false
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  worker.on('error', (error) => {
    // The requests' connection checkpoints by itself past the safety net.
    if (!stopped) process.emitWarning(`SQLite checkpoint thread stopped: ${error.message}`)
  })
  return async () => {
    if (!stopped) {
      stopped = true
      // Whoever waits for it to end keeps the process alive until it has.
      worker.ref()
      worker.postMessage('stop')
    }
    await exited
  }
}
