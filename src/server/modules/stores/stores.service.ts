import { randomUUID } from 'node:crypto'
import type { StoreList } from '../../../shared/memory'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { requireManager } from '../guides/roles'
import { hashStoreKey, newStoreKey } from './store-keys'
import { StoresRepository } from './stores.repository'

/** The company's stores, as guides pick them (a customer's preferred store), and their tills' keys. */
export class StoresService {
  private readonly repo: StoresRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new StoresRepository(ctx.db)
  }

  async list(): Promise<StoreList> {
    return { items: await this.repo.list() }
  }

  /** The store whose till sent this key; 401 for a missing, unknown or revoked key. */
  async storeForKey(key: string | undefined): Promise<string> {
    if (!key) throw ApiError.unauthorized('Send the store API key (Authorization: Bearer <key>)')
    const found = await this.repo.keyByHash(hashStoreKey(key))
    if (!found || found.revokedAt !== null) throw ApiError.unauthorized('This store API key is not valid')
    return found.storeId
  }

  /** A new key for a store's till, shown once; only its hash is kept. */
  async createKey(userId: string, storeId: string, label: string): Promise<{ id: string; storeId: string; key: string }> {
    await requireManager(this.ctx, userId)
    if (!(await this.repo.find(storeId))) throw ApiError.notFound('No such store')
    const key = newStoreKey()
    const id = `sk_${randomUUID().replace(/-/g, '').slice(0, 16)}`
    await this.repo.insertKey({ id, storeId, keyHash: hashStoreKey(key), label, createdAt: this.ctx.now() })
    return { id, storeId, key }
  }
}
