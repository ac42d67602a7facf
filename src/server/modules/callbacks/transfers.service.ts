/**
 * Noticing a handover. WeCom moves a transferred customer's follow from one guide to
 * another and tells each side separately (an add for the takeover, a delete or nothing for
 * the handover), in either order, possibly a day apart, and a missed event is only healed
 * by the nightly resync. So the rule looks at the state, not at one event: a follow that
 * ended (not because she deleted the guide) and a follow by another guide that began
 * around then make a handover, and the handover guide's records of her move.
 */
import type { AppContext } from '../../context'
import { ContactsRepository } from '../customers/contacts.repository'
import { TransfersRepository, type MovedRecords } from './transfers.repository'

/** How long an ended follow waits for a takeover to show up. */
export const HANDOVER_PENDING_MS = 7 * 24 * 3600 * 1000
/**
 * How much earlier than the end we noticed the takeover's follow may begin: WeCom ends the
 * handover's follow when the takeover's begins, and we may notice the end a day late.
 */
export const TAKEOVER_WINDOW_MS = 3 * 24 * 3600 * 1000

export interface Handover extends MovedRecords {
  externalUserId: string
  from: string
  to: string
}

export class TransfersService {
  private readonly repo: TransfersRepository
  private readonly contacts: ContactsRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new TransfersRepository(ctx.db)
    this.contacts = new ContactsRepository(ctx.db)
  }

  /** Move the records of every handover now visible (of these customers, or of anyone). */
  async settle(externalUserIds?: readonly string[]): Promise<Handover[]> {
    const now = this.ctx.now()
    const done: Handover[] = []
    for (const end of await this.repo.pendingEnds(now - HANDOVER_PENDING_MS, externalUserIds)) {
      const to = await this.repo.takeover(end.externalUserId, end.userId, end.endedAt - TAKEOVER_WINDOW_MS)
      if (!to) continue
      const moved = await this.repo.move({ externalUserId: end.externalUserId, from: end.userId, to, now })
      this.ctx.log.info({ externalUserId: end.externalUserId, from: end.userId, to, ...moved }, 'Customer handed over')
      done.push({ externalUserId: end.externalUserId, from: end.userId, to, ...moved })
    }
    return done
  }

  /**
   * 离职继承: a departed guide's follows never end by themselves (WeCom lists her customers
   * to nobody, and the resync skips her), so a customer she still holds who now follows
   * a guide still with the company, added since around her departure, was handed over:
   * her follow ends and her records move as for any handover. A guide who was already
   * her second guide before the departure is not taken for the takeover (she may be one
   * of two on purpose; an admin may still assign her to someone else).
   */
  async settleDeparted(externalUserIds?: readonly string[]): Promise<Handover[]> {
    const done: Handover[] = []
    for (const held of await this.repo.heldByDeparted(externalUserIds)) {
      const to = await this.repo.takeover(held.externalUserId, held.userId, held.leftAt - TAKEOVER_WINDOW_MS, {
        stillEmployed: true,
      })
      if (!to) continue
      const now = this.ctx.now()
      // Ended first, as a transfer: were the move below interrupted, settle() finishes it.
      await this.contacts.endFollow({
        userId: held.userId,
        externalUserId: held.externalUserId,
        reason: 'transferred',
        eventAt: now,
        now,
      })
      const moved = await this.repo.move({ externalUserId: held.externalUserId, from: held.userId, to, now })
      this.ctx.log.info(
        { externalUserId: held.externalUserId, from: held.userId, to, ...moved },
        'Departed guide’s customer handed over',
      )
      done.push({ externalUserId: held.externalUserId, from: held.userId, to, ...moved })
    }
    return done
  }
}
