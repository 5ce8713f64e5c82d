import { defineConfig } from '@adonisjs/inertia'

/**
 * Pages are Svelte 5 components. SSR renders the public pages (login, setup)
 * so they show before any script runs.
 */
const inertiaConfig = defineConfig({
  rootView: 'inertia_layout',
  ssr: {
    enabled: true,
    pages: ['auth/login', 'auth/setup'],
    entrypoint: 'resources/ssr.ts',
  },
})

export default inertiaConfig
