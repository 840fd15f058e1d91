import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/', 'node_modules/', '.data/', '.cache/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Client-reachable code never touches the database; routes go through a domain module's index.
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/.server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kysely', message: 'Routes and UI never write SQL: call a domain service.' },
            { name: 'pg', message: 'Only db/ talks to the driver.' },
          ],
          patterns: [
            { group: ['#db/*', '**/db/*'], message: 'Only app/.server modules may import db/.' },
            {
              group: ['~/.server/*/*'],
              message: 'Import a domain module through its index (~/.server/<domain>).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/ui/**', 'app/lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['~/.server/*', '~/.server'], message: 'UI and lib code is isomorphic.' },
          ],
        },
      ],
    },
  },
);
