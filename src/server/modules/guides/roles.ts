/**
 * Who may see whom. A guide sees her own customers; a manager her stores' guides and
 * customers (her own store, plus any the CRM's `guides` import or the demo gives her);
 * an admin (head office) every store. Every manager and admin endpoint asks here, on
 * the server, whatever the app shows.
 */
import type { Role } from '../../../shared/auth'
import type { AppContext } from '../../context'
import type { GuideRow } from '../../db/schema'
import { ApiError } from '../../http/errors'
import { GuidesRepository } from './guides.repository'

/** Admin when WECOM_ADMIN_IDS lists her (or the CRM says so); manager likewise with WECOM_MANAGER_IDS. */
export async function roleOf(ctx: AppContext, userId: string): Promise<Role> {
  if (ctx.config.wecom.adminIds.has(userId)) return 'admin'
  const guide = await new GuidesRepository(ctx.db).find(userId)
  if (guide?.role === 'admin') return 'admin'
  if (ctx.config.wecom.managerIds.has(userId)) return 'manager'
  return guide?.role === 'manager' ? 'manager' : 'guide'
}

/** Shared content (the reply library, coupon templates, brand outfits) is edited by managers and admins. */
export async function requireManager(ctx: AppContext, userId: string): Promise<void> {
  if ((await roleOf(ctx, userId)) === 'guide') throw ApiError.forbidden('Only store managers can change shared content')
}

/** What a manager or admin may see: 'all' stores, or the set of her stores. */
export interface TeamScope {
  userId: string
  role: 'manager' | 'admin'
  stores: 'all' | ReadonlySet<string>
}

/** Her scope, or a 403 for a guide. */
export async function requireTeamScope(ctx: AppContext, userId: string): Promise<TeamScope> {
  const role = await roleOf(ctx, userId)
  if (role === 'guide') throw ApiError.forbidden('Only store managers and head office can open the team desk')
  if (role === 'admin') return { userId, role, stores: 'all' }
  return { userId, role, stores: new Set(await new GuidesRepository(ctx.db).managedStoreIds(userId)) }
}

export function storeInScope(scope: TeamScope, storeId: string | null): boolean {
  if (scope.stores === 'all') return true
  return storeId !== null && scope.stores.has(storeId)
}

/** The store, if she may see it; a 403 otherwise (an unknown store is out of scope too, for a manager). */
export function requireStoreInScope(scope: TeamScope, storeId: string): void {
  if (!storeInScope(scope, storeId)) throw ApiError.forbidden('That store is not one of yours')
}

/** The guide, if she works in one of the scope's stores: 404 for nobody, 403 for someone else's guide. */
export async function requireGuideInScope(ctx: AppContext, scope: TeamScope, guideUserId: string): Promise<GuideRow> {
  const guide = await new GuidesRepository(ctx.db).find(guideUserId)
  if (!guide) throw ApiError.notFound('No guide has that user id')
  if (guide.user_id !== scope.userId && !storeInScope(scope, guide.store_id)) {
    throw ApiError.forbidden('That guide does not work in one of your stores')
  }
  return guide
}

/**
 * The stores a request is about: the one asked for (checked), else all of hers. `null`
 * means every store (an admin asking for no store in particular).
 */
export function storesAskedFor(scope: TeamScope, storeId: string | undefined): ReadonlySet<string> | null {
  if (storeId !== undefined) {
    requireStoreInScope(scope, storeId)
    return new Set([storeId])
  }
  return scope.stores === 'all' ? null : scope.stores
}
