import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ImportError, importText } from '../../src/server/modules/crm-import/importer'
import { GuidesRepository } from '../../src/server/modules/guides/guides.repository'
import { DB_KINDS, createTestDb, type TestDb } from '../helpers/db'

/**
 * `npm run import -- guides`: who works where and as what. One row per person and store;
 * a manager's first row gives her own store, and every store listed for her becomes one
 * she manages (store_managers, replaced for everyone in the file).
 */
const STORES = 'store_id,name,city\nS1,上海静安嘉里中心店,上海\nS2,杭州湖滨银泰店,杭州\nS3,南京德基广场店,南京\n'
const NOW = Date.UTC(2026, 10, 25, 4)

describe.each(DB_KINDS)('CRM import of guides (%s)', (kind) => {
  let t: TestDb
  beforeEach(async () => {
    t = await createTestDb(kind)
    await importText(t.db, 'stores', STORES, { now: NOW })
  })
  afterEach(() => t.drop())

  const run = (text: string, batchSize?: number) => importText(t.db, 'guides', text, { now: NOW + 1000, batchSize })
  const guide = (userId: string) => t.db.kysely.selectFrom('guides').selectAll().where('user_id', '=', userId).executeTakeFirst()
  const managed = async (userId: string) =>
    (await t.db.kysely.selectFrom('store_managers').select('store_id').where('user_id', '=', userId).execute())
      .map((r) => r.store_id)
      .sort()

  it('upserts people with their store and role, keeping what WeCom says of them, and rejects bad rows by line', async () => {
    // 李娜 signed in before: WeCom gave her an avatar and her customers were synced.
    await t.db.kysely
      .insertInto('guides')
      .values({
        user_id: 'lina',
        name: 'Lina',
        avatar: 'https://wework.qpic.cn/lina.png',
        store_id: 'S2',
        role: 'guide',
        customers_synced_at: NOW - 5000,
        created_at: NOW - 9000,
        updated_at: NOW - 9000,
      })
      .execute()
    await t.db.kysely.insertInto('store_managers').values({ user_id: 'wanglei', store_id: 'S3' }).execute()

    const file =
      '\uFEFF导购账号,姓名,门店,角色,备注\n' +
      'lina,李娜,S1,导购,\n' + // 2
      'wanglei,王蕾,S1,店长,\n' + // 3
      'wanglei,王蕾,S2,manager,\n' + // 4
      'hq,总部运营,,总部,\n' + // 5
      'chenjing,陈静,S9,guide,\n' + // 6: unknown store
      'lina,李娜,S2,guide,\n' + // 7: a guide in two stores
      'zhaomin,赵敏,S2,manager,\n' + // 8
      'zhaomin,赵敏二,S3,manager,\n' + // 9: another name
      'bad user,某人,S1,guide,\n' + // 10
      'xu,徐,S1,boss,\n' + // 11
      'wanglei,王蕾,S1,店长,\n' // 12: the same row again
    const report = await run(file)
    expect(report).toMatchObject({ kind: 'guides', rows: 11, inserted: 3, updated: 2, ignoredColumns: ['备注'] })
    expect(report.rejected.map((r) => r.line)).toEqual([6, 7, 9, 10, 11, 12])
    expect(report.rejected[0]!.reason).toBe('unknown store S9')
    expect(report.rejected[1]!.reason).toContain('line 2')
    expect(report.rejected[2]!.reason).toContain('line 8')
    expect(report.rejected[3]!.reason).toContain('userid')
    expect(report.rejected[4]!.reason).toContain('role "boss"')
    expect(report.rejected[5]!.reason).toContain('line 3')

    expect(await guide('lina')).toMatchObject({
      name: '李娜',
      store_id: 'S1',
      role: 'guide',
      avatar: 'https://wework.qpic.cn/lina.png',
      customers_synced_at: NOW - 5000,
      created_at: NOW - 9000,
      updated_at: NOW + 1000,
    })
    expect(await guide('wanglei')).toMatchObject({
      name: '王蕾',
      store_id: 'S1',
      role: 'manager',
      avatar: null,
      created_at: NOW + 1000,
    })
    expect(await guide('hq')).toMatchObject({ store_id: null, role: 'admin' })
    expect(await guide('zhaomin')).toMatchObject({ name: '赵敏', store_id: 'S2', role: 'manager' })
    expect(await guide('chenjing')).toBeUndefined()
    // Her stores are the file's: S3 is no longer hers.
    expect(await managed('wanglei')).toEqual(['S1', 'S2'])
    expect(await new GuidesRepository(t.db).managedStoreIds('wanglei')).toEqual(expect.arrayContaining(['S1', 'S2']))
    expect(await managed('zhaomin')).toEqual(['S2'])
    expect(await managed('lina')).toEqual([])

    // The same file again changes nothing.
    const again = await run(file)
    expect(again).toMatchObject({ inserted: 0, updated: 5 })
    expect(await managed('wanglei')).toEqual(['S1', 'S2'])
    expect(await guide('wanglei')).toMatchObject({ store_id: 'S1', role: 'manager' })
  })

  it('replaces the stores of the people in the file only, and keeps a manager’s first store across batches', async () => {
    await run('userid,name,store_id,role\nwanglei,王蕾,S1,manager\nwanglei,王蕾,S2,manager\nzhaomin,赵敏,S2,manager\n')
    // One row a batch: her first row's store stays hers, and every store listed is added.
    const report = await run('userid,name,store_id,role\nwanglei,王蕾,S3,manager\nwanglei,王蕾,S1,manager\n', 1)
    expect(report).toMatchObject({ rows: 2, inserted: 0, updated: 2, rejected: [] })
    expect(await guide('wanglei')).toMatchObject({ store_id: 'S3' })
    expect(await managed('wanglei')).toEqual(['S1', 'S3'])
    expect(await managed('zhaomin')).toEqual(['S2'])

    // Made a guide: her managed stores go.
    await run('userid,name,store_id,role\nwanglei,王蕾,S3,guide\n')
    expect(await guide('wanglei')).toMatchObject({ store_id: 'S3', role: 'guide' })
    expect(await managed('wanglei')).toEqual([])
  })

  it('marks someone the file says has left (在职 否) gone and ends her sessions; brings back only who a file marked gone', async () => {
    const header = 'userid,name,store_id,role,在职\n'
    await run(header + 'lina,李娜,S1,guide,是\nchenjing,陈静,S1,guide,\nzhaomin,赵敏,S2,guide,在职\n')
    const session = (id: string, userId: string) => ({
      id,
      user_id: userId,
      created_at: NOW,
      last_seen_at: NOW,
      expires_at: NOW + 12 * 3600_000,
      revoked_at: null,
      revoked_reason: null,
    })
    await t.db.kysely
      .insertInto('sessions')
      .values([session('s-lina', 'lina'), session('s-chen', 'chenjing')])
      .execute()
    // WeCom said chenjing left (delete_user) before the file was exported.
    await new GuidesRepository(t.db.kysely).markLeft('chenjing', NOW + 500)

    const report = await run(
      header + 'lina,李娜,S1,guide,否\nchenjing,陈静,S1,guide,是\nzhaomin,赵敏,S2,guide,离职\nxu,徐,S1,guide,也许\n',
    )
    expect(report).toMatchObject({ inserted: 0, updated: 3 })
    expect(report.rejected).toEqual([{ line: 5, reason: 'active "也许" is not yes/no' }])
    expect(await guide('lina')).toMatchObject({ left_at: NOW + 1000, left_by: 'import' })
    expect(await guide('zhaomin')).toMatchObject({ left_at: NOW + 1000, left_by: 'import' })
    // A file still listing her as working does not undo WeCom's word.
    expect(await guide('chenjing')).toMatchObject({ left_at: NOW + 500, left_by: 'wecom' })
    const revoked = await t.db.kysely.selectFrom('sessions').select(['id', 'revoked_reason']).orderBy('id').execute()
    expect(revoked).toEqual([
      { id: 's-chen', revoked_reason: null },
      { id: 's-lina', revoked_reason: 'departed' },
    ])

    // Rehired: a file listing her as working again brings her back.
    await run(header + 'lina,李娜,S1,guide,1\n')
    expect(await guide('lina')).toMatchObject({ left_at: null, left_by: null })
    expect(await guide('zhaomin')).toMatchObject({ left_by: 'import' })
  })

  it('refuses a file without the columns it needs', async () => {
    await expect(run('userid,name,store_id\nlina,李娜,S1\n')).rejects.toThrow(ImportError)
    await expect(run('userid,name,store_id\nlina,李娜,S1\n')).rejects.toThrow(/role/)
  })
})
