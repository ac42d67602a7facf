/**
 * The server's check that a card or customer page carries nothing private: it gathers
 * what the guide's side keeps about the customers who will see it (and the remarks she
 * keeps about everyone else, as an outfit made for one customer may go to another) and
 * refuses outgoing text that holds any of it.
 */
import type { Db } from '../../db'
import { parseJsonArray } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { GuidesRepository } from '../guides/guides.repository'
import { findPrivateText, type PrivateKind, type PrivateText } from './private-text'
import { PrivateTextRepository, type AboutCustomer } from './private-text.repository'

const KIND_WORDS: Record<PrivateKind, string> = {
  remark: "a customer's remark",
  description: "a customer's description",
  note: 'a note about the customer',
  personal_tag: "a guide's personal tag",
  member: "a member's name",
  phone: 'a phone number',
}

/** Enough for every pair a brand sends to in a busy hour; past it, memory starts over. */
const MAX_REMEMBERED = 100_000

type FollowRow = Awaited<ReturnType<PrivateTextRepository['book']>>[number]

function bookSecrets(book: readonly FollowRow[]): PrivateText[] {
  const secrets: PrivateText[] = []
  for (const c of book) {
    if (c.remark) secrets.push({ kind: 'remark', text: c.remark })
    if (c.description) secrets.push({ kind: 'description', text: c.description })
    if (c.name) secrets.push({ kind: 'member', text: c.name })
    if (c.fit_notes) secrets.push({ kind: 'note', text: c.fit_notes })
    for (const phone of [c.phone, c.own_phone, ...parseJsonArray<string>(c.remark_mobiles)]) {
      if (phone) secrets.push({ kind: 'phone', text: phone })
    }
  }
  return secrets
}

function customerSecrets(
  members: readonly { name: string; phone: string | null }[],
  notes: readonly { text: string }[],
  tags: readonly { name: string }[],
): PrivateText[] {
  const secrets: PrivateText[] = []
  for (const m of members) {
    if (m.name) secrets.push({ kind: 'member', text: m.name })
    if (m.phone) secrets.push({ kind: 'phone', text: m.phone })
  }
  for (const n of notes) secrets.push({ kind: 'note', text: n.text })
  for (const t of tags) secrets.push({ kind: 'personal_tag', text: t.name })
  return secrets
}

/** `secretsFor` less the guide's own book: every guide's follow rows of her and the rest. */
function secretsAbout(about: AboutCustomer | undefined): PrivateText[] {
  if (!about) return []
  const { follows, members, notes, tags } = about
  return [...bookSecrets(follows), ...customerSecrets(members, notes, tags)]
}

export class PrivateTextGuard {
  private readonly repo: PrivateTextRepository
  private readonly guides: GuidesRepository
  /** Verdicts found clean, and each guide's page words, keyed by version; `seenVersion` the latest. */
  private seenVersion = ''
  private readonly clean = new Set<string>()
  private readonly pageWordsOf = new Map<string, string[]>()

  constructor(db: Db) {
    this.repo = new PrivateTextRepository(db)
    this.guides = new GuidesRepository(db)
  }

  /**
   * What is kept about `customers` (everything), and about every other customer the guide
   * follows (remark, description, member name, phones): an outfit made while one customer
   * was open may go to another, or to a group.
   */
  async secretsFor(guideId: string, customers: readonly string[]): Promise<PrivateText[]> {
    const ids = customers.length ? [...new Set(customers)] : ['']
    const [book, members, notes, tags] = await Promise.all([
      // Her follow rows (every guide's remark of her) and the rest of this guide's book.
      this.repo.book(guideId, ids),
      // A group's customers need not be anyone's: their member records all the same.
      this.repo.members(ids),
      this.repo.notes(ids),
      this.repo.personalTags(ids),
    ])
    return [...bookSecrets(book), ...customerSecrets(members, notes, tags)]
  }

  /** Words every customer page says anyway: the brand, the guide's name, her store's name. */
  async pageWords(guideId: string, brand: string): Promise<string[]> {
    const guide = await this.guides.findWithStore(guideId)
    return [brand, guide?.name ?? '', guide?.store ?? '']
  }

  /**
   * Refuses (422 `private_text`) when `outgoing` holds something private about
   * `customers` or a remark the guide keeps about anyone. `allowed` are words the page
   * says anyway (product data, brand, the guide's name, stores).
   */
  async assertNothingPrivate(
    guideId: string,
    customers: readonly string[],
    outgoing: readonly string[],
    allowed: readonly string[],
  ): Promise<void> {
    const found = findPrivateText(outgoing, await this.secretsFor(guideId, customers), allowed)
    if (found) {
      throw new ApiError(
        422,
        'private_text',
        `The title or note holds ${KIND_WORDS[found.kind]} ("${found.fragment}"): customers never see that. Change it before sending`,
        found.fragment,
      )
    }
  }

  /**
   * `assertNothingPrivate` for several sends of the same words (a batch of coupon sends),
   * with the page's own words, answered from memory while nothing private has changed:
   * the refusal for each send, or null. The guide's book is most of what is read and is
   * the same whoever she sends to, so its verdict is kept apart from the verdict on what is
   * kept about her; what is kept about the customers not yet judged is read in one query.
   * Each verdict is kept only when clean, keyed by `version` (read by the caller before
   * anything else, so data read after it is never older than it): any write to private
   * data moves the version on, on every instance. Clean parts make a clean whole; a part
   * that is not goes to the full check, which words the refusal as ever. `read`: what is
   * kept about every customer of `sends` (`PrivateTextRepository.aboutQuery`), when the
   * caller read it in the statement that read `version`.
   */
  async refusalsFor(
    sends: readonly { guideId: string; customerId: string }[],
    outgoing: readonly string[],
    brand: string,
    version: string,
    read?: Map<string, AboutCustomer>,
  ): Promise<(ApiError | null)[]> {
    // Verdicts of an older version are never asked for again: let them go.
    if (version !== this.seenVersion || this.clean.size > MAX_REMEMBERED) {
      this.seenVersion = version
      this.clean.clear()
      this.pageWordsOf.clear()
    }
    // The version is in every key: a request that read an older one may finish after a
    // newer one has been seen, and what it found must not pass for the newer.
    const text = JSON.stringify([version, brand, ...outgoing])
    const herKey = (send: { guideId: string; customerId: string }) =>
      `her\u0000${send.guideId}\u0000${send.customerId}\u0000${text}`
    const unread = [...new Set(sends.filter((send) => !this.clean.has(herKey(send))).map((send) => send.customerId))]
    const about = read ?? (unread.length ? await this.repo.about(unread) : new Map<string, AboutCustomer>())
    const refusals: (ApiError | null)[] = []
    for (const send of sends) {
      const { guideId, customerId } = send
      const pageKey = `${version}\u0000${guideId}\u0000${brand}`
      let allowed = this.pageWordsOf.get(pageKey)
      if (!allowed) {
        allowed = await this.pageWords(guideId, brand)
        this.pageWordsOf.set(pageKey, allowed)
      }
      const parts: [string, () => Promise<PrivateText[]>][] = [
        [`book\u0000${guideId}\u0000${text}`, async () => bookSecrets(await this.repo.guideBook(guideId))],
        // Read above: every customer whose verdict is not kept (nothing found: nothing kept).
        [herKey(send), () => Promise.resolve(secretsAbout(about.get(customerId)))],
      ]
      let refusal: ApiError | null = null
      for (const [key, secrets] of parts) {
        if (this.clean.has(key)) continue
        if (findPrivateText(outgoing, await secrets(), allowed)) {
          refusal = await this.assertNothingPrivate(guideId, [customerId], outgoing, allowed).then(
            () => null,
            (error: unknown) => {
              if (error instanceof ApiError) return error
              throw error
            },
          )
          break
        }
        this.clean.add(key)
      }
      refusals.push(refusal)
    }
    return refusals
  }
}
