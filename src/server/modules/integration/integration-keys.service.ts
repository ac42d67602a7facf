import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  INTEGRATION_SCOPES,
  type IntegrationKeyCreate,
  type IntegrationKeyCreated,
  type IntegrationKeyList,
  type IntegrationScope,
} from '../../../shared/integration'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { writeTransaction } from '../../db/dialect'
import { iso } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { roleOf } from '../guides/roles'
import { AuditRepository } from '../replies/audit.repository'
import { IntegrationRepository, type IntegrationKeyRow } from './integration.repository'

export function newIntegrationKey(): string {
  return `gsi_${randomBytes(24).toString('base64url')}`
}

export function hashIntegrationKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/**
 * The keys of the retailer's systems: made, listed and revoked by head office only (they
 * write across every store), each change audited (entity 'integration_key') in its
 * transaction. A key is shown once; only its hash is kept.
 */
export class IntegrationKeysService {
  private readonly repo: IntegrationRepository
  private readonly audit: AuditRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new IntegrationRepository(ctx.db)
    this.audit = new AuditRepository(ctx.db)
  }

  /** The key a system sent, if it may write `scope`: 401 for a missing, unknown or revoked key, 403 out of scope. */
  async authenticate(key: string | undefined, scope: IntegrationScope): Promise<IntegrationKeyRow> {
    if (!key) throw ApiError.unauthorized('Send the integration key (Authorization: Bearer <key>)')
    const found = await this.repo.keyByHash(hashIntegrationKey(key))
    if (!found || found.revokedAt !== null) throw ApiError.unauthorized('This integration key is not valid')
    if (!found.scopes.includes(scope)) {
      throw ApiError.forbidden(`The key of ${found.name} may write ${found.scopes.join(', ')}, not ${scope}`)
    }
    return found
  }

  async list(userId: string): Promise<IntegrationKeyList> {
    await this.requireAdmin(userId)
    return {
      items: (await this.repo.keys()).map((k) => ({
        id: k.id,
        name: k.name,
        scopes: k.scopes.filter(isScope),
        createdAt: iso(k.createdAt),
        createdBy: k.createdBy,
        createdByName: k.createdByName,
        revokedAt: k.revokedAt === null ? null : iso(k.revokedAt),
      })),
    }
  }

  async create(userId: string, request: IntegrationKeyCreate): Promise<IntegrationKeyCreated> {
    await this.requireAdmin(userId)
    const key = newIntegrationKey()
    const id = `ik_${randomUUID().replace(/-/g, '').slice(0, 16)}`
    const name = request.name.trim()
    // In the schema's order, so a key's scopes read the same however they were asked for.
    const scopes = INTEGRATION_SCOPES.filter((s) => request.scopes.includes(s))
    const now = this.ctx.now()
    await writeTransaction(this.ctx.db, async (trx) => {
      await new IntegrationRepository(trx).insertKey({
        id,
        name,
        scopes,
        keyHash: hashIntegrationKey(key),
        createdBy: userId,
        createdAt: now,
        revokedAt: null,
      })
      await this.record(trx, userId, id, 'create', { name, scopes }, now)
    })
    return { id, name, scopes, key }
  }

  /** Its system is refused from now on. Revoking it again changes nothing. */
  async revoke(userId: string, id: string): Promise<void> {
    await this.requireAdmin(userId)
    const now = this.ctx.now()
    await writeTransaction(this.ctx.db, async (trx) => {
      const repo = new IntegrationRepository(trx)
      const key = await repo.key(id)
      if (!key) throw ApiError.notFound('No integration key has that id')
      if (await repo.revokeKey(id, now)) await this.record(trx, userId, id, 'retire', { name: key.name, scopes: key.scopes }, now)
    })
  }

  private async requireAdmin(userId: string): Promise<void> {
    if ((await roleOf(this.ctx, userId)) !== 'admin') {
      throw ApiError.forbidden('Only head office can manage integration keys')
    }
  }

  private record(
    trx: Trx,
    userId: string,
    id: string,
    action: 'create' | 'retire',
    key: { name: string; scopes: readonly string[] },
    at: number,
  ): Promise<void> {
    // The name and scopes say which key; the key itself and its hash stay out of the log.
    return this.audit.record(trx, {
      id: randomUUID(),
      actorId: userId,
      entity: 'integration_key',
      entityId: id,
      action,
      before: undefined,
      after: { name: key.name, scopes: key.scopes },
      at,
    })
  }
}

function isScope(value: string): value is IntegrationScope {
  return (INTEGRATION_SCOPES as readonly string[]).includes(value)
}
