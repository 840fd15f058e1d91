import { fileURLToPath } from 'node:url';
import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { remixConfig } from './remix.config';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

const alias = {
  '~': fileURLToPath(new URL('./app', import.meta.url)),
  '#db': fileURLToPath(new URL('./db', import.meta.url)),
  '#tests': fileURLToPath(new URL('./tests', import.meta.url)),
};

// Native and data-file packages must stay outside the server bundle: bundled, PGlite cannot find
// its data files and argon2 its native binary (docs/decisions/0001 and 0013).
const serverExternals = ['@electric-sql/pglite', '@node-rs/argon2', 'pg'];

// Browser files are written beside themselves as .br and .gz at build, so the server sends them
// compressed without compressing on each request (server.js serves them with
// express-static-gzip). The server build is not for browsers and is left alone.
const precompressed: Plugin = {
  ...compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024 }),
  apply: (_config, env) => env.command === 'build' && !env.isSsrBuild,
};

export default defineConfig(({ mode }) => ({
  plugins: mode === 'test' ? [] : [remix(remixConfig), precompressed],
  resolve: { alias },
  ssr: { external: serverExternals },
  optimizeDeps: { exclude: serverExternals },
  build: { target: 'es2022' },
}));
