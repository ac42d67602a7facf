/**
 * The server's check that a card or customer page carries nothing private: it gathers
 * what the guide's side keeps about the customers who will see it (and the remarks she
 * keeps about everyone else, as an outfit made for one customer may go to another) and
 * refuses outgoing text that holds any of it.
 */
import type { Db, Trx } from '../../db'
import { parseJsonArray } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { GuidesRepository } from '../guides/guides.repository'
import { findPrivateText, type PrivateKind, type PrivateText } from './private-text'
import { PrivateTextRepository } from './private-text.repository'

const KIND_WORDS: Record<PrivateKind, string> = {
  remark: "a customer's remark",
  description: "a customer's description",
  note: 'a note about the customer',
  personal_tag: "a guide's personal tag",
  member: "a member's name",
  phone: 'a phone number',
}

export class PrivateTextGuard {
  private readonly repo: PrivateTextRepository
  private readonly guides: GuidesRepository

  constructor(db: Db | Trx) {
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
    for (const m of members) {
      if (m.name) secrets.push({ kind: 'member', text: m.name })
      if (m.phone) secrets.push({ kind: 'phone', text: m.phone })
    }
    for (const n of notes) secrets.push({ kind: 'note', text: n.text })
    for (const t of tags) secrets.push({ kind: 'personal_tag', text: t.name })
    return secrets
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
}
