import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** A fake build in a temporary directory: the page, script and manifest shapes Vite writes. */
export function fakeDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-dist-'))
  mkdirSync(path.join(dir, 'assets'))
  mkdirSync(path.join(dir, '.vite'))
  mkdirSync(path.join(dir, 'src', 'simulator'), { recursive: true })
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/index-abc.js"></script></head><body><div id="app"></div></body></html>',
  )
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(path.join(dir, 'src', 'simulator', 'index.html'), '<!doctype html><title>simulator</title>')
  writeFileSync(
    path.join(dir, '.vite', 'manifest.json'),
    JSON.stringify({ 'src/simulator/bridge.ts': { file: 'assets/bridge-xyz.js' } }),
  )
  return dir
}
