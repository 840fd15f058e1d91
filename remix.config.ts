import type { VitePluginConfig } from '@remix-run/dev';

/** Remix Vite plugin options; imported by vite.config.ts. */
export const remixConfig = {
  appDirectory: 'app',
  ignoredRouteFiles: ['**/*.test.*', '**/.*'],
  serverModuleFormat: 'esm',
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
} satisfies VitePluginConfig;
