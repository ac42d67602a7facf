import { acceptHMRUpdate, defineStore } from 'pinia'
import { shallowReactive } from 'vue'
import { fetchCustomer } from '@/api/customers'
import { isApiFailure } from '@/api/http'
import type { CustomerProfile } from '@/shared/customer'

/** Where the writes for one customer stand. */
interface WriteSequence {
  /** Goes up by one for every write started for her, never down: the highest is the latest. */
  seq: number
  /** Writes sent and not answered yet. */
  inFlight: number
  /** Something failed that a plain roll-back cannot undo: ask the server once all writes are answered. */
  reloadWhenSettled: boolean
}

/**
 * Profiles already loaded in this page, keyed by customer. Keyed, so a late answer for
 * an earlier customer lands under her id and can never show up as someone else's.
 *
 * Writes show at once (optimistic) and loads refresh quietly, so for one customer they
 * overlap. A per-customer write sequence decides whose answer shows: a load that overlapped
 * a write is dropped (it may predate the write), only the latest write's answer or roll-back
 * is applied, and an older write that fails makes the profile come fresh from the server
 * instead of rolling back over the newer writes.
 */
export const useCustomersStore = defineStore('customers', () => {
  const profiles = shallowReactive(new Map<string, CustomerProfile>())
  const inflight = new Map<string, Promise<CustomerProfile>>()
  const sequences = new Map<string, WriteSequence>()
  /** When each profile last came from the server (by this page's clock). */
  const loadedAt = new Map<string, number>()

  function sequenceOf(externalUserId: string): WriteSequence {
    let sequence = sequences.get(externalUserId)
    if (!sequence) {
      sequence = { seq: 0, inFlight: 0, reloadWhenSettled: false }
      sequences.set(externalUserId, sequence)
    }
    return sequence
  }

  function fetchProfile(
    externalUserId: string,
    request: () => Promise<CustomerProfile> = () => fetchCustomer(externalUserId),
  ): Promise<CustomerProfile> {
    const sequence = sequenceOf(externalUserId)
    const seqAtStart = sequence.seq
    const quietAtStart = sequence.inFlight === 0
    const pending = request()
      .then((profile) => {
        // A write started or was in flight meanwhile: this answer may predate it, and the
        // write's own answer (or the reload after it) is the newer truth.
        const current = sequence.seq === seqAtStart && quietAtStart
        if (current || !profiles.has(externalUserId)) profiles.set(externalUserId, profile)
        loadedAt.set(externalUserId, Date.now())
        return profiles.get(externalUserId) ?? profile
      })
      .catch((failure: unknown) => {
        // She is no longer ours to see: drop the copy rather than keep showing it.
        if (isApiFailure(failure) && (failure.status === 403 || failure.status === 404)) profiles.delete(externalUserId)
        throw failure
      })
      .finally(() => {
        if (inflight.get(externalUserId) === pending) inflight.delete(externalUserId)
      })
    inflight.set(externalUserId, pending)
    return pending
  }

  /**
   * Her profile from the server; a load already on its way is shared. `freshForMs`: a
   * profile that came less than that long ago is answered as it is (the screen opening
   * right after the start-up load asked for her need not ask again).
   */
  function load(externalUserId: string, options: { freshForMs?: number } = {}): Promise<CustomerProfile> {
    const pending = inflight.get(externalUserId)
    if (pending) return pending
    const known = profiles.get(externalUserId)
    const age = Date.now() - (loadedAt.get(externalUserId) ?? -Infinity)
    if (known && options.freshForMs && age >= 0 && age < options.freshForMs) return Promise.resolve(known)
    return fetchProfile(externalUserId)
  }

  /**
   * A request for her profile made before the store was (src/boot/early.ts asks at start-up):
   * taken as this store's own load, shared and kept the same way.
   */
  function adopt(externalUserId: string, request: Promise<CustomerProfile>): Promise<CustomerProfile> {
    return inflight.get(externalUserId) ?? fetchProfile(externalUserId, () => request)
  }

  /**
   * Change her profile: `optimistic` shows at once, `request` is the server write and
   * resolves with her profile as the server has it. Rejects with the write's failure.
   */
  async function write(
    externalUserId: string,
    options: {
      optimistic?: (profile: CustomerProfile) => CustomerProfile
      request: () => Promise<CustomerProfile>
    },
  ): Promise<CustomerProfile> {
    const sequence = sequenceOf(externalUserId)
    const mine = ++sequence.seq
    // With other writes still unanswered, "before" holds their unconfirmed changes too.
    const beforeIsConfirmed = sequence.inFlight === 0
    sequence.inFlight++
    const before = profiles.get(externalUserId)
    if (before && options.optimistic) profiles.set(externalUserId, options.optimistic(before))
    try {
      const answer = await options.request()
      // A newer write is on screen: this answer would hide it. The newer one brings its own.
      if (mine === sequence.seq) profiles.set(externalUserId, answer)
      return answer
    } catch (failure) {
      if (mine === sequence.seq) {
        if (before) profiles.set(externalUserId, before)
        if (!beforeIsConfirmed) sequence.reloadWhenSettled = true
      } else {
        sequence.reloadWhenSettled = true
      }
      throw failure
    } finally {
      sequence.inFlight--
      if (sequence.inFlight === 0 && sequence.reloadWhenSettled) {
        sequence.reloadWhenSettled = false
        // Fresh, not shared: a load already on its way overlapped the writes and will be dropped.
        // Its failure is not the guide's to act on: the write's failure was already shown.
        fetchProfile(externalUserId).catch(() => {})
      }
    }
  }

  return { profiles, load, adopt, write }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCustomersStore, import.meta.hot))
