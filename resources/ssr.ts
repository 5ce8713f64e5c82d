import { createInertiaApp } from '@inertiajs/svelte'
import { render } from 'svelte/server'
import { resolvePage } from './pages.js'

export default function renderPage(page: any) {
  return createInertiaApp({
    page,
    resolve: (name) =>
      resolvePage(
        name,
        import.meta.glob(['./pages/**/*.svelte', '../modules/*/pages/**/*.svelte'], { eager: true })
      ),
    setup({ App, props }) {
      return render(App, { props })
    },
  })
}
