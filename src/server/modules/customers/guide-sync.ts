/**
 * A guide's whole customer list read from WeCom (`batch/get_by_user`, 100 a page): every
 * customer and her follow saved, follows WeCom no longer lists ended. Her first list, her
 * first sign-in and the nightly resync all come here, and share one run per guide per app,
 * so a guide who signs in and opens her list at once costs WeCom one read, not two.
 */
import type { AppContext } from '../../context'
import { KeyedSingleFlight } from '../../wecom/expiring'
import { GuidesRepository } from '../guides/guides.repository'
import { ContactsRepository } from './contacts.repository'
import { mapBatchEntry } from './customers.mapper'

export const GUIDE_SYNC_PAGE_SIZE = 100

const flights = new WeakMap<AppContext, KeyedSingleFlight<string, void>>()

export interface GuideSyncOptions {
  /** A pause between pages, so a nightly run over every guide stays far inside WeCom's limits. */
  pageDelayMs?: number
}

export function syncGuideCustomers(ctx: AppContext, userId: string, options: GuideSyncOptions = {}): Promise<void> {
  let flight = flights.get(ctx)
  if (!flight) {
    flight = new KeyedSingleFlight<string, void>()
    flights.set(ctx, flight)
  }
  return flight.run(userId, async () => {
    const contacts = new ContactsRepository(ctx.db)
    const seen = new Set<string>()
    let cursor = ''
    do {
      if (cursor && options.pageDelayMs) await sleep(options.pageDelayMs)
      const page = await ctx.wecom.batchGetByUser([userId], cursor, GUIDE_SYNC_PAGE_SIZE)
      const found = (page.external_contact_list ?? []).map((entry) => mapBatchEntry(entry.external_contact, entry.follow_info))
      for (const c of found) seen.add(c.externalUserId)
      await contacts.saveGuidePage(userId, found, ctx.now())
      cursor = page.next_cursor ?? ''
    } while (cursor)
    const gone = (await contacts.followedIds(userId)).filter((id) => !seen.has(id))
    await contacts.removeFollows(userId, gone, ctx.now())
    await new GuidesRepository(ctx.db).markCustomersSynced(userId, ctx.now())
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
