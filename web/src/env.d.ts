/// <reference types="vite/client" />
/// <reference types="element-plus/global" />

import type { vLoading } from 'element-plus'

declare module 'vue' {
  // v-loading is registered on demand by unplugin-vue-components (ElementPlusResolver).
  interface GlobalDirectives {
    vLoading: typeof vLoading
  }
}
