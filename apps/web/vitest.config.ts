import { fileURLToPath, URL } from 'node:url';
import { defineProject } from 'vitest/config';

/** Unit tests of the web app's plain TypeScript (API client, i18n, routing rules). */
export default defineProject({
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  test: {
    name: 'web',
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
