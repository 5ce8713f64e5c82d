import { configApp, RULES_LIST } from '@adonisjs/eslint-config'

/*
 * TypeScript everywhere with the AdonisJS rules. Svelte components are
 * checked by svelte-check (`npm run typecheck`: types, compiler and a11y
 * warnings) rather than ESLint.
 */
export default configApp(
  {
    ignores: ['tmp/**', 'public/assets/**', 'build/**', '**/*.svelte'],
  },
  {
    name: 'Charpente overrides',
    rules: {
      // `(await import(...)).default` is how manifests load routes and hooks lazily, and
      // `(await client.get(...)).body()` is how Japa tests read responses.
      '@unicorn/no-await-expression-member': 'off',
    },
  },
  {
    name: 'Charpente front-end entry points',
    files: ['resources/**/*.ts', 'modules/*/pages/**/*.ts', 'modules/*/components/**/*.ts'],
    rules: {
      ...RULES_LIST,
      '@adonisjs/no-backend-import-in-frontend': ['error'],
    },
  }
)
