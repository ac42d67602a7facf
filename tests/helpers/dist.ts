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
    '<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-abc.js"></script><link rel="modulepreload" href="/assets/vue-def.js"></head><body><div id="app"></div></body></html>',
  )
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(path.join(dir, 'src', 'simulator', 'index.html'), '<!doctype html><title>simulator</title>')
  writeFileSync(
    path.join(dir, '.vite', 'manifest.json'),
    JSON.stringify({
      'index.html': { file: 'assets/index-abc.js', isEntry: true, imports: ['_vue-def.js'], css: ['assets/index-abc.css'] },
      '_vue-def.js': { file: 'assets/vue-def.js' },
      'src/pages/sidebar/CustomerPage.vue': {
        file: 'assets/CustomerPage-444.js',
        isDynamicEntry: true,
        imports: ['_vue-def.js', '_avatar-555.js'],
        css: ['assets/CustomerPage-444.css'],
      },
      'src/start-app.ts': {
        file: 'assets/start-app-666.js',
        isDynamicEntry: true,
        imports: ['_vue-def.js', '_app-777.js'],
        css: ['assets/start-app-666.css'],
      },
      '_app-777.js': { file: 'assets/app-777.js', css: ['assets/index-abc.css'] },
      '_avatar-555.js': { file: 'assets/avatar-555.js', css: ['assets/avatar-555.css', 'assets/index-abc.css'] },
      'src/i18n/zh-CN.ts': { file: 'assets/zh-CN-111.js', isDynamicEntry: true },
      'src/i18n/en-US.ts': { file: 'assets/en-US-222.js', isDynamicEntry: true, imports: ['_vue-def.js', '_vant-en-333.js'] },
      '_vant-en-333.js': { file: 'assets/vant-en-333.js' },
      'src/simulator/bridge.ts': { file: 'assets/bridge-xyz.js' },
    }),
  )
  return dir
}
