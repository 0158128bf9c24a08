/**
 * Element Plus functions used without an import: unplugin-auto-import adds the import and the
 * component's stylesheet at build time (see vite.config.ts); these are their types.
 */
declare global {
  const ElLoading: typeof import('element-plus/es')['ElLoading'];
  const ElMessage: typeof import('element-plus/es')['ElMessage'];
  const ElMessageBox: typeof import('element-plus/es')['ElMessageBox'];
  const ElNotification: typeof import('element-plus/es')['ElNotification'];
}

export {};
