import type { StoreList } from '../../../shared/memory'
import type { Db } from '../../db'
import { StoresRepository } from './stores.repository'

/** The company's stores, as guides pick them (a customer's preferred store). */
export class StoresService {
  private readonly repo: StoresRepository

  constructor(db: Db) {
    this.repo = new StoresRepository(db)
  }

  async list(): Promise<StoreList> {
    return { items: await this.repo.list() }
  }
}
