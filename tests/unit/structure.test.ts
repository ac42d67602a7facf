import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * The server reads as layers (src/server/modules/README.md): db at the bottom, then
 * repositories, services, routes, app. These checks keep it that way as features grow;
 * each names the file and the rule it breaks.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SRC = path.join(ROOT, 'src')
const MAX_LINES = 400

function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
}

const serverFiles = filesUnder(path.join(SRC, 'server'), ['.ts'])
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')

/** The files a file imports from this repository, as paths from the root (without extension). */
function localImports(file: string): string[] {
  const text = read(file)
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!)
  return specifiers.map((s) =>
    path
      .normalize(path.join(path.dirname(file), s))
      .split(path.sep)
      .join('/')
      .replace(/\.(ts|js)$/, ''),
  )
}

function violations(files: string[], broken: (file: string, target: string) => boolean): string[] {
  return files.flatMap((file) =>
    localImports(file)
      .filter((target) => broken(file, target))
      .map((target) => `${file} → ${target}`),
  )
}

const inDir = (dir: string) => (p: string) => p === dir || p.startsWith(`${dir}/`)
const isDb = inDir('src/server/db')
const isModules = inDir('src/server/modules')
const isDemo = inDir('src/server/demo')
const isSimulator = inDir('src/server/simulator')
const isTop = (p: string) => ['src/server/app', 'src/server/main', 'src/server/startup'].includes(p)

describe('server layers', () => {
  it('db/ imports nothing above it', () => {
    const allowed = (target: string) => isDb(target) || target === 'src/server/env' || inDir('src/shared')(target)
    expect(violations(serverFiles.filter(isDb), (_file, target) => !allowed(target))).toEqual([])
  })

  it('http/ and wecom/ import no module, demo, simulator or app', () => {
    const below = serverFiles.filter((f) => inDir('src/server/http')(f) || inDir('src/server/wecom')(f))
    expect(violations(below, (_f, t) => isModules(t) || isDemo(t) || isSimulator(t) || isTop(t))).toEqual([])
  })

  it('modules import no demo, simulator or app', () => {
    expect(violations(serverFiles.filter(isModules), (_f, t) => isDemo(t) || isSimulator(t) || isTop(t))).toEqual([])
  })

  it('repositories import no service or routes, services import no routes', () => {
    const isService = (p: string) => /\.service$/.test(p)
    const isRoutes = (p: string) => /\.routes$/.test(p)
    expect(
      violations(serverFiles.filter(isModules), (file, target) => {
        if (file.endsWith('.repository.ts')) return isService(target) || isRoutes(target)
        if (file.endsWith('.service.ts')) return isRoutes(target)
        return false
      }),
    ).toEqual([])
  })

  it('only the top of the server reaches the demo generator', () => {
    const outside = serverFiles.filter((f) => !isDemo(f) && !isSimulator(f) && !isTop(f.replace(/\.ts$/, '')))
    expect(violations(outside, (_f, t) => isDemo(t))).toEqual([])
  })

  it('SQL only in repositories', () => {
    const sqlLike = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>]*>)?`/
    // The importer's kinds are its repositories: each writes one CSV kind in bulk.
    const mayHoldSql = (f: string) => f.endsWith('.repository.ts') || inDir('src/server/modules/crm-import/kinds')(f)
    const offenders = serverFiles
      .filter((f) => isModules(f) && !mayHoldSql(f))
      .flatMap((f) =>
        read(f)
          .split('\n')
          .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
          .filter(({ line }) => sqlLike.test(line))
          .map(({ at }) => at),
      )
    expect(offenders).toEqual([])
  })

  it('the dialect is asked about only in db/', () => {
    const offenders = serverFiles
      .filter((f) => isModules(f))
      .filter((f) => /\bkind\s*[!=]==?\s*'(postgres|sqlite)'|'(postgres|sqlite)'\s*[!=]==?\s*\S*kind\b/.test(read(f)))
    expect(offenders).toEqual([])
  })
})

describe('file size', () => {
  it(`no source file over ${MAX_LINES} lines without a reason on its first line`, () => {
    const long = filesUnder(SRC, ['.ts', '.vue'])
      .map((file) => ({ file, text: read(file) }))
      .filter(({ text }) => text.split('\n').length > MAX_LINES + 1)
      .filter(({ text }) => !/^(\/\/ Long: |<!-- Long: )\S/.test(text))
      .map(({ file, text }) => `${file} (${text.split('\n').length} lines)`)
    expect(long).toEqual([])
  })
})
