/**
 * `npm test`: every test, in order — typecheck, lint, unit + components + API, build,
 * end to end in Chromium. Each step runs even if an earlier one failed, so one run shows
 * everything that is wrong; the exit code is non-zero if anything failed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ci = process.env.CI === 'true' || process.env.CI === '1'

interface Step {
  name: string
  command: string[]
}

const steps: Step[] = [
  { name: 'typecheck', command: ['npm', 'run', '-s', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '-s', 'lint'] },
  {
    name: 'unit, components, API',
    command: ['npx', 'vitest', 'run', '--project', 'unit', '--project', 'components', '--project', 'server'],
  },
  { name: 'build', command: ['npx', 'vite', 'build', '--logLevel', 'warn'] },
]

const results: { name: string; ok: boolean; seconds: number; note?: string }[] = []

function run(step: Step): boolean {
  console.log(`\n▶ ${step.name}: ${step.command.join(' ')}`)
  const started = Date.now()
  const result = spawnSync(step.command[0]!, step.command.slice(1), { stdio: 'inherit', env: process.env })
  const ok = result.status === 0
  results.push({ name: step.name, ok, seconds: (Date.now() - started) / 1000 })
  return ok
}

for (const step of steps) run(step)

if (!process.env.TEST_DATABASE_URL) {
  console.log('\nNote: TEST_DATABASE_URL is not set, so the API tests ran on SQLite only.')
}

if (existsSync(chromium)) {
  run({ name: 'end to end (Chromium)', command: ['npx', 'vitest', 'run', '--project', 'e2e'] })
} else {
  const banner = '='.repeat(72)
  console.log(
    `\n${banner}\n  END-TO-END TESTS SKIPPED: no Chromium at ${chromium}.\n  Install it (apt-get install -y chromium) or set CHROMIUM_PATH.\n${banner}`,
  )
  results.push({
    name: 'end to end (Chromium)',
    ok: !ci,
    seconds: 0,
    note: ci ? 'missing Chromium under CI=true' : 'skipped: no Chromium',
  })
}

console.log('\nSummary')
for (const r of results) console.log(`  ${r.ok ? '✓' : '✗'} ${r.name} (${r.seconds.toFixed(1)} s)${r.note ? ` — ${r.note}` : ''}`)
const failed = results.filter((r) => !r.ok)
if (failed.length) {
  console.log(`\n${failed.length} step(s) failed.`)
  process.exit(1)
}
