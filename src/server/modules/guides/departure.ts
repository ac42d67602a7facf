import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { SessionsRepository } from '../sessions/sessions.repository'
import { GuidesRepository } from './guides.repository'

/**
 * A guide left the company (WeCom's `delete_user`, or the CRM import says so): she is
 * marked gone, her history kept, and every session of hers ends at once, on every
 * instance, since each request reads her guide row. Idempotent: WeCom retries callbacks,
 * and the first departure's time is the one kept. No transaction of its own, so a caller
 * may pass one: `left_at` alone already ends her sessions, the revocation only records why.
 */
export async function markGuideDeparted(
  db: Kysely<Database>,
  userId: string,
  now: number,
  by: 'wecom' | 'import' = 'wecom',
): Promise<void> {
  await new GuidesRepository(db).markLeft(userId, now, by)
  await new SessionsRepository(db).revokeAllOf(userId, now, 'departed')
}
