import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

const apiPort = process.env.CHAOSGATE_API_PORT || '8080';

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus functions (ElMessage, ElMessageBox…) with their styles, on demand. Their
    // global types are declared in src/types/element-plus-functions.d.ts.
    AutoImport({
      resolvers: [ElementPlusResolver()],
      dts: false,
    }),
    // Element Plus components and directives used in templates, with their styles, on demand.
    // Template types come from `element-plus/global`; local components are imported explicitly.
    Components({
      resolvers: [ElementPlusResolver()],
      dirs: [],
      dts: false,
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false },
    },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
});
