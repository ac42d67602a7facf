/**
 * "Was anything the profile reads written since?" on PostgreSQL, answered without a query
 * per request. Migration 0019's triggers `NOTIFY gs_changes` (payload: the schema) when
 * a row of one of those tables is written; one connection per instance LISTENs and counts.
 *
 * A notification arrives some time after its commit, so the count alone could miss a
 * write that committed a moment ago on another instance. `settled()` closes that gap
 * with a round trip on the listening connection: PostgreSQL sends a listener every
 * notification of a transaction committed before the query came ahead of the query's
 * ReadyForQuery (the committing backend signals listeners before its own client hears
 * "committed", and a backend reads what it was signalled before it says it is ready).
 * One such round trip answers every request that arrived before it started, so under
 * load it costs a fraction of a query per request.
 *
 * While the connection is down (or before it is up) both answers are null, which sends
 * callers back to reading what they need; a reconnect starts a new epoch, so nothing
 * checked before the gap counts as current after it.
 */
import pg from 'pg'

export interface ChangeVersion {
  /** This instance's count now. Taken before a read, it dates the read (null: cannot say). */
  current(): string | null
  /**
   * The count once every write committed before this call is in it: equal to an earlier
   * `current()` means none of those tables was written since (null: cannot say).
   */
  settled(): string | null | Promise<string | null>
  /** Told when the watch stops working for a while (PostgreSQL: its connection is lost). */
  warn?: (message: string, error: unknown) => void
}

export const CHANGES_CHANNEL = 'gs_changes'
/** Sessions ended or cut short, and guides gone (migration 0027): what a cached session hangs on. */
export const SESSIONS_CHANNEL = 'gs_sessions'
const CHANNELS = [CHANGES_CHANNEL, SESSIONS_CHANNEL] as const
type Channel = (typeof CHANNELS)[number]
/** A round trip that takes longer than this counts as the connection being down. */
const SETTLE_TIMEOUT_MS = 2000
const RECONNECT_MS = [100, 1000, 5000] as const

/** A settling round trip: resolves with the epoch it settled in, null if it could not. */
interface Round {
  promise: Promise<number | null>
  resolve: (epoch: number | null) => void
}

export class PgChangeWatch implements ChangeVersion {
  private client: pg.Client | null = null
  private connecting: Promise<void> | null = null
  private live = false
  private closed = false
  private epoch = 0
  private readonly counts = new Map<Channel, number>()
  private failures = 0
  private schema = ''
  private running: Round | null = null
  private next: Round | null = null
  private retryTimer: NodeJS.Timeout | undefined

  warn?: (message: string, error: unknown) => void
  /** The listening connection's server process, while there is one (tests end it). */
  backendPid: number | null = null

  constructor(private readonly clientConfig: pg.ClientConfig) {}

  current(): string | null {
    return this.currentOf(CHANGES_CHANNEL)
  }

  settled(): string | null | Promise<string | null> {
    return this.settledOf(CHANGES_CHANNEL)
  }

  /**
   * The same two answers for another channel this connection listens to. One settling
   * round trip answers for every channel at once.
   */
  channel(channel: Channel): ChangeVersion {
    return { current: () => this.currentOf(channel), settled: () => this.settledOf(channel) }
  }

  private currentOf(channel: Channel): string | null {
    if (!this.live) {
      this.start()
      return null
    }
    return `${this.epoch}:${this.counts.get(channel) ?? 0}`
  }

  private settledOf(channel: Channel): string | null | Promise<string | null> {
    if (!this.live) {
      this.start()
      return null
    }
    // A round already under way may have started before this call: wait for the one after.
    let round: Round
    if (!this.running) round = this.round((this.running = makeRound()))
    else round = this.next ??= makeRound()
    // Read once the round is over: a count that moved on since only makes the answer
    // "changed", never "unchanged"; a new epoch's count says nothing of the old one.
    return round.promise.then((epoch) =>
      epoch !== null && epoch === this.epoch && this.live ? `${epoch}:${this.counts.get(channel) ?? 0}` : null,
    )
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.retryTimer)
    this.goDown()
    await this.connecting?.catch(() => undefined)
  }

  /** Connect and LISTEN, once at a time; every caller meanwhile gets null. */
  private start(): void {
    if (this.connecting || this.live || this.closed || this.retryTimer) return
    this.connecting = this.connect().finally(() => (this.connecting = null))
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ ...this.clientConfig, application_name: 'guide-sidebar change watch' })
    client.on('error', (error) => this.lost(client, error))
    client.on('end', () => this.lost(client, new Error('connection ended')))
    client.on('notification', (message) => {
      const channel = CHANNELS.find((c) => c === message.channel)
      if (client === this.client && channel && message.payload === this.schema) {
        this.counts.set(channel, (this.counts.get(channel) ?? 0) + 1)
      }
    })
    try {
      await client.connect()
      // The schema our tables are in, as the triggers name it: where `sessions` resolves on
      // this search path (not merely its first schema, or every notification would be
      // dropped and a revoked session kept); before migrations, the first schema.
      const { rows } = await client.query<{ schema: string; pid: number }>(
        `select coalesce(
           (select n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.oid = to_regclass('sessions')),
           current_schema()) as schema, pg_backend_pid() as pid`,
      )
      for (const channel of CHANNELS) await client.query(`listen ${channel}`)
      if (this.closed) throw new Error('closed while connecting')
      this.schema = rows[0]!.schema
      this.backendPid = rows[0]!.pid
      this.client = client
      // A new epoch: whatever was counted before the gap says nothing about it.
      this.epoch++
      this.counts.clear()
      this.failures = 0
      this.live = true
    } catch (error) {
      await client.end().catch(() => undefined)
      if (!this.closed) this.lost(client, error)
    }
  }

  /**
   * One round trip on the listening connection; then the next round, if anyone joined it.
   * An empty query: PostgreSQL answers it through the same loop as any other (so the
   * notifications come first), with nothing to parse, plan or describe; on this machine
   * its round trip took 95–110 µs and 60–80 µs of our CPU, `select 1`'s 155–230 µs and
   * 100–170 µs (5,000 in a row each, alternated).
   */
  private round(round: Round): Round {
    const client = this.client
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), SETTLE_TIMEOUT_MS)))
    const trip = client
      ? client.query('').then(
          () => 'done' as const,
          (error: unknown) => error,
        )
      : Promise.resolve(new Error('not connected'))
    void Promise.race([trip, timeout]).then((outcome) => {
      clearTimeout(timer)
      // Gone down meanwhile: this round was answered null then.
      if (this.running !== round) return
      if (outcome === 'done' && this.live && client === this.client) {
        round.resolve(this.epoch)
      } else {
        round.resolve(null)
        if (client) this.lost(client, outcome === 'timeout' ? new Error('no answer in time') : outcome)
        if (this.running !== round) return
      }
      this.running = this.next
      this.next = null
      if (this.running) this.round(this.running)
    })
    return round
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || (this.client !== null && client !== this.client)) return
    if (this.live) this.warn?.('Lost the change notifications connection; profiles are checked by query until it is back', error)
    this.goDown()
    if (this.retryTimer) return
    const delay = RECONNECT_MS[Math.min(this.failures++, RECONNECT_MS.length - 1)]
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      this.start()
    }, delay)
    this.retryTimer.unref()
  }

  private goDown(): void {
    this.live = false
    this.backendPid = null
    const client = this.client
    this.client = null
    if (client) void client.end().catch(() => undefined)
    for (const round of [this.running, this.next]) round?.resolve(null)
    this.running = null
    this.next = null
  }
}

function makeRound(): Round {
  let resolve!: (epoch: number | null) => void
  const promise = new Promise<number | null>((r) => (resolve = r))
  return { promise, resolve }
}
