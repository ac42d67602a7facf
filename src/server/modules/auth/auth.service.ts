import type { Role } from '../../../shared/auth'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { OAUTH_TTL_SECONDS } from '../../http/session'
import { WecomError, WecomErrcode } from '../../wecom/errors'
import { syncGuideCustomers } from '../customers/guide-sync'
import { GuidesRepository } from '../guides/guides.repository'
import { roleOf } from '../guides/roles'
import { OAuthSpentRepository } from './oauth-spent.repository'

/** Re-read the guide's name from WeCom at most this often. */
const PROFILE_REFRESH_MS = 24 * 3600 * 1000
/** WeCom's codes live five minutes; one we have sent is worthless after that anyway. */
const CODE_TTL_MS = 5 * 60 * 1000

export class AuthService {
  private readonly guides: GuidesRepository
  private readonly spent: OAuthSpentRepository

  constructor(private readonly ctx: AppContext) {
    this.guides = new GuidesRepository(ctx.db)
    this.spent = new OAuthSpentRepository(ctx.db)
  }

  /**
   * OAuth code → the WeCom member who opened the page, recorded as a guide. The sign-in's
   * `state` is accepted once and a code is sent to WeCom once: a replayed state cookie or
   * code is refused here, without an `auth/getuserinfo` call (each one counts against the
   * corp's frequency limit, which every guide shares).
   */
  async signInWithCode(code: string, state: string): Promise<string> {
    const now = this.ctx.now()
    if (!(await this.spent.spend('state', state, now + OAUTH_TTL_SECONDS * 1000, now))) {
      throw new ApiError(400, 'invalid_oauth_state', 'This sign-in link was already used; start again')
    }
    // Fresh states and codes are free to make up, from any address: past the deployment's
    // budget of refused codes, no code goes to WeCom until the window passes.
    await this.ctx.budgets.checkOAuth()
    if (!(await this.spent.spend('code', code, now + CODE_TTL_MS, now))) {
      throw new ApiError(400, 'invalid_oauth_code', 'The sign-in code is invalid or was already used')
    }
    let userId: string | undefined
    try {
      const info = await this.ctx.wecom.getUserInfoByCode(code)
      userId = info.userid
    } catch (error) {
      if (error instanceof WecomError && error.errcode === WecomErrcode.invalidCode) {
        await this.ctx.budgets.oauthFailed()
        throw new ApiError(400, 'invalid_oauth_code', 'The sign-in code is invalid or was already used')
      }
      throw error
    }
    if (!userId) {
      await this.ctx.budgets.oauthFailed()
      throw new ApiError(403, 'not_a_member', 'Only members of the company can use the guide sidebar')
    }
    await this.recordGuide(userId)
    // Marked gone (WeCom's delete_user, the CRM): a sign-in does not bring her back.
    if ((await this.guides.find(userId))?.left_at != null) {
      throw new ApiError(403, 'not_a_member', 'This member has left the company')
    }
    // Her customers, read from WeCom while she finds her way: her first list is then ready.
    if ((await this.guides.find(userId))?.customers_synced_at === null) {
      this.ctx.background.run('first customer sync', () => syncGuideCustomers(this.ctx, userId))
    }
    return userId
  }

  private async recordGuide(userId: string): Promise<void> {
    const now = this.ctx.now()
    const existing = await this.guides.find(userId)
    if (existing && now - existing.updated_at < PROFILE_REFRESH_MS) return
    let name = existing?.name ?? userId
    let avatar = existing?.avatar ?? null
    try {
      const user = await this.ctx.wecom.getUser(userId)
      // Newer self-built apps may get no name back; the userid is the honest fallback.
      if (user.name) name = user.name
      if (user.avatar) avatar = user.avatar
    } catch (error) {
      this.ctx.log.warn({ err: error, userId }, 'Could not read the guide from WeCom; keeping what we have')
    }
    await this.guides.upsert({ userId, name, avatar, now })
  }

  async me(userId: string): Promise<{ userId: string; name: string; role: Role } | null> {
    const guide = await this.guides.find(userId)
    if (!guide) return null
    return { userId, name: guide.name, role: await roleOf(this.ctx, userId) }
  }
}
