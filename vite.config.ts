import { fileURLToPath, URL } from 'node:url'
import { VantResolver } from '@vant/auto-import-resolver'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'

const src = fileURLToPath(new URL('./src', import.meta.url))

/**
 * Vant's icon font comes inlined in its stylesheet as a data: URI (about 26 KB gzip), and
 * that stylesheet blocks the first paint until it is downloaded and parsed, though the font
 * is only needed once an icon is drawn. As a file of its own the browser fetches it only
 * then, beside the paint rather than before it, and caches it for every later page.
 */
function fontsOutOfCss(): Plugin {
  return {
    name: 'fonts-out-of-css',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const asset of Object.values(bundle)) {
        if (asset.type !== 'asset' || !asset.fileName.endsWith('.css')) continue
        const css = String(asset.source)
        const out = css.replace(
          /url\(data:font\/(woff2?);charset=utf-8;base64,([A-Za-z0-9+/=]+)\)/g,
          (_all, ext: string, data: string) => {
            const ref = this.emitFile({ type: 'asset', name: `icons.${ext}`, source: Buffer.from(data, 'base64') })
            // Both live in assets/: the stylesheet names the font beside it.
            return `url(./${this.getFileName(ref).split('/').pop()})`
          },
        )
        if (out !== css) asset.source = out
      }
    },
  }
}

export default defineConfig({
  plugins: [
    vue(),
    // Only Vant components are auto-registered; everything else is imported explicitly.
    Components({ resolvers: [VantResolver()], dts: 'src/components.d.ts', dirs: [] }),
    fontsOutOfCss(),
  ],
  resolve: { alias: { '@': src } },
  build: {
    target: 'es2020',
    manifest: true,
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      // The app imports types and constants from src/shared, whose schemas (TypeBox calls
      // at module level) only the server validates with: building them is free of side
      // effects, so the ones the app never reads are left out (~4 KB gzip of her profile).
      treeshake: {
        manualPureFunctions: ['Type', 'Nullable', 'StringEnum', 'Text'],
        moduleSideEffects: (id) => !id.includes('/node_modules/typebox/'),
      },
      output: {
        // Fewer, larger chunks where they always load together: in a 4×-throttled webview
        // each chunk that arrives costs the main thread ≈ 10 ms besides its bytes, and each
        // gzips on its own. Vue, its router and Pinia are one chunk; what the entry needs to
        // draw her name (src/boot, src/wecom with the JS-SDK, the few API calls) another.
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](@vue[\\/]|vue[\\/]|vue-router[\\/]|pinia[\\/])/, priority: 20 },
            {
              name: 'boot',
              test: /src[\\/](api[\\/](http|customers|wecom)\.ts|wecom[\\/]|boot[\\/]|app-config\.ts|router[\\/]login-marker\.ts|components[\\/]common[\\/]avatar\.ts|components[\\/]customer[\\/]display-name\.ts)|node_modules[\\/]@wecom[\\/]jssdk/,
              priority: 10,
            },
          ],
        },
      },
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        simulator: fileURLToPath(new URL('./src/simulator/index.html', import.meta.url)),
        // The WeixinJSBridge stand-in; the server adds it to the page in simulator mode only.
        bridge: fileURLToPath(new URL('./src/simulator/bridge.ts', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/media': 'http://localhost:8080',
    },
  },
  test: {
    // The JS-SDK leaves a failed agentConfig's promise uncaught; in a browser src/wecom
    // swallows it through window's unhandledrejection, which Node does not fire.
    // Anything else unhandled still fails the run.
    onUnhandledError: (error) =>
      String((error as { errMsg?: unknown }).errMsg ?? '').startsWith('agentConfig:') ? false : undefined,
    // Inlined so tests can re-import them (the JS-SDK reads the user agent once, at load).
    server: { deps: { inline: ['vant', '@wecom/jssdk'] } },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', setupFiles: ['tests/unit/setup.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'components',
          include: ['tests/components/**/*.test.ts'],
          environment: 'happy-dom',
          setupFiles: ['tests/components/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
