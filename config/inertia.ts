import { defineConfig } from '@adonisjs/inertia'

/**
 * Pages are Svelte 5 components. SSR renders the public pages (login, its
 * second step, setup) so they show before any script runs.
 */
const inertiaConfig = defineConfig({
  rootView: 'inertia_layout',
  ssr: {
    enabled: true,
    pages: ['auth/login', 'auth/setup', 'auth/mfa'],
    entrypoint: 'resources/ssr.ts',
  },
})

export default inertiaConfig

/*
 * Inertia types `inertia.render()` against a map of known pages, which its
 * page indexer generates for React and Vue only. Svelte pages are open: any
 * name, any JSON props. tests/unit/pages.spec.ts checks that every page a
 * controller renders exists on disk, which is what the map would catch.
 */
declare module '@adonisjs/inertia/types' {
  export interface InertiaPages {
    [page: string]: Record<string, any>
  }
}
