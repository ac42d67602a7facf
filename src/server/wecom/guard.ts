/**
 * What the WeCom client remembers between calls so that a misbehaving WeCom is not
 * hammered: APIs it told us to slow down on (and until when), the last time it answered
 * normally and the last thing that went wrong (for admins), and ids it said do not exist.
 * Per instance and in memory: every instance learns the same from its own calls.
 */
import { WecomBusyError, WecomErrcode, isServiceErrcode } from './errors'

/** WeCom's minute block lasts 60 s from when it starts (reference: Frequency). */
export const FREQUENCY_BLOCK_MS = 60_000
/** Too many calls at once: a short pause lets the ones in flight finish. */
export const CONCURRENCY_PAUSE_MS = 1_500
/** How long "no such customer / group" is believed without asking again. */
export const UNKNOWN_ID_TTL_MS = 5 * 60_000
export const UNKNOWN_ID_MAX_ENTRIES = 10_000

export interface WecomLastError {
  /** null: WeCom did not answer (network, timeout, an HTTP error, not JSON). */
  errcode: number | null
  errmsg: string
  api: string
  /** Epoch ms, on the client's clock. */
  at: number
}

export interface WecomStatus {
  /** The last answer that was not about WeCom itself failing (a call-specific refusal counts). */
  lastSuccessAt: number | null
  lastError: WecomLastError | null
}

interface Block {
  until: number
  errcode: number
  errmsg: string
}

export class WecomGuard {
  private lastSuccessAt: number | null = null
  private lastError: WecomLastError | null = null
  private readonly blocks = new Map<string, Block>()

  constructor(private readonly now: () => number) {}

  /** Fail fast, without a call, while WeCom has asked us to leave `api` alone. */
  checkBlocked(api: string): void {
    const block = this.blocks.get(api)
    if (!block) return
    const now = this.now()
    if (now >= block.until) {
      this.blocks.delete(api)
      return
    }
    throw new WecomBusyError(api, block.errcode, block.errmsg, block.until, retryAfterSeconds(block.until - now), false)
  }

  /**
   * Note WeCom's answer. A limit (45009/45033) blocks the API and comes back as the error
   * to throw; anything else returns null and the caller carries on as before.
   */
  answered(api: string, errcode: number, errmsg: string): WecomBusyError | null {
    const now = this.now()
    if (!isServiceErrcode(errcode)) {
      this.lastSuccessAt = now
      return null
    }
    this.lastError = { errcode, errmsg, api, at: now }
    const pause =
      errcode === WecomErrcode.frequencyLimit
        ? FREQUENCY_BLOCK_MS
        : errcode === WecomErrcode.concurrencyLimit
          ? CONCURRENCY_PAUSE_MS
          : null
    if (pause === null) return null
    const until = now + pause
    this.blocks.set(api, { until, errcode, errmsg })
    return new WecomBusyError(api, errcode, errmsg, until, retryAfterSeconds(pause), true)
  }

  unreachable(api: string, message: string): void {
    this.lastError = { errcode: null, errmsg: message, api, at: this.now() }
  }

  status(): WecomStatus {
    return { lastSuccessAt: this.lastSuccessAt, lastError: this.lastError && { ...this.lastError } }
  }

  /** The last thing WeCom did was fail (or it still has us blocked): our copies may be behind. */
  degraded(): boolean {
    const now = this.now()
    for (const block of this.blocks.values()) if (now < block.until) return true
    if (!this.lastError) return false
    return this.lastSuccessAt === null || this.lastError.at >= this.lastSuccessAt
  }
}

function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}

/**
 * Ids WeCom said it does not know, with its answer, for a few minutes: a guide (or
 * someone probing) asking for the same bogus id again costs no call. Oldest first out.
 */
export class UnknownIds {
  private readonly entries = new Map<string, { errcode: number; errmsg: string; until: number }>()

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = UNKNOWN_ID_TTL_MS,
    private readonly maxEntries = UNKNOWN_ID_MAX_ENTRIES,
  ) {}

  get(key: string): { errcode: number; errmsg: string } | null {
    const entry = this.entries.get(key)
    if (!entry) return null
    if (this.now() >= entry.until) {
      this.entries.delete(key)
      return null
    }
    return { errcode: entry.errcode, errmsg: entry.errmsg }
  }

  remember(key: string, errcode: number, errmsg: string): void {
    this.entries.delete(key)
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, { errcode, errmsg, until: this.now() + this.ttlMs })
  }

  forget(key: string): void {
    this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}
