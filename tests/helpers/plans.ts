import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../../src/server/db/schema'
import type { DbKind } from '../../src/server/db'

/**
 * The plan a database makes for a query, as text. PostgreSQL is asked with sequential
 * scans priced out: a test's tables are small enough for a scan to win, and the question
 * is whether an index can serve the query at all.
 */
export async function planOf(db: Kysely<Database>, kind: DbKind, query: Compilable): Promise<string> {
  const { sql: text, parameters } = query.compile()
  const explain = async (conn: Kysely<Database>, prefix: string) =>
    JSON.stringify((await conn.executeQuery(CompiledQuery.raw(`${prefix} ${text}`, [...parameters]))).rows)
  if (kind === 'sqlite') return explain(db, 'explain query plan')
  return db.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn)
    try {
      return await explain(conn, 'explain')
    } finally {
      await sql`reset enable_seqscan`.execute(conn)
    }
  })
}
