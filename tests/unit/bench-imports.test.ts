import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

/**
 * `npm run bench` runs under plain Node with tsx, not under Vite, so the app's `@/` imports
 * resolve only through the root tsconfig. Nothing in CI runs the benchmarks (too slow), and
 * an app file that took up an `@/` import once broke them unnoticed for days: each module
 * `tests/bench/run.ts` imports must load the way it runs them.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

describe('the benchmarks', () => {
  it('load under `node --import tsx` from the repository root', async () => {
    const runner = readFileSync(path.join(ROOT, 'tests/bench/run.ts'), 'utf8')
    const modules = [...runner.matchAll(/from '\.\/([\w-]+)'/g)].map((m) => `./tests/bench/${m[1]}.ts`)
    expect(modules.length).toBeGreaterThan(5)
    const script = `for (const m of ${JSON.stringify(modules)}) await import(m)`
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
    })
    expect(stderr).not.toMatch(/Error/)
  }, 120_000)
})
