import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// Dev server: every API call goes to the running stack's gateway (same origin for the browser).
const gateway = process.env.SALES_GATEWAY_URL ?? 'http://127.0.0.1:8080'
const proxied = { target: gateway, changeOrigin: false, ws: true }

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components and directives (v-loading) are imported on demand with their CSS,
    // so the initial chunk carries only what the first screen uses. Types come from
    // element-plus/global (tsconfig), so no generated components.d.ts is needed.
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css', directives: true })],
      dts: false,
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': proxied,
      '/openapi.yaml': proxied,
      '/docs': proxied,
      '/readyz': proxied,
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
})
