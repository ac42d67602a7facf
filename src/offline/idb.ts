/** A minimal promise wrapper over IndexedDB: one database, object stores keyed by `id`. */
const DB_NAME = 'guide-sidebar'
const DB_VERSION = 1
export const STORES = ['note-drafts'] as const
export type StoreName = (typeof STORES)[number]

let opening: Promise<IDBDatabase> | null = null

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

export function openDatabase(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION)
    req.onupgradeneeded = () => {
      for (const store of STORES)
        if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store, { keyPath: 'id' })
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => {
      opening = null
      reject(req.error)
    }
  })
  return opening
}

async function withStore<T>(store: StoreName, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDatabase()
  return request(work(db.transaction(store, mode).objectStore(store)))
}

export const idb = {
  all: <T>(store: StoreName) => withStore<T[]>(store, 'readonly', (s) => s.getAll() as IDBRequest<T[]>),
  put: <T>(store: StoreName, value: T) => withStore(store, 'readwrite', (s) => s.put(value)).then(() => undefined),
  delete: (store: StoreName, id: string) => withStore(store, 'readwrite', (s) => s.delete(id)).then(() => undefined),
}

/** Tests: forget the open connection so a fresh fake database is used. */
export function resetDatabaseForTests(): void {
  opening = null
}
