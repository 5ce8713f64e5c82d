import './css/app.css'
import { createInertiaApp } from '@inertiajs/svelte'
import { resolvePage } from './pages.js'

// The page's Content-Security-Policy nonce (the layout's meta tag): Inertia puts it
// on the <style> elements it inserts. Browsers expose it as a property only.
const nonce =
  document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined

createInertiaApp({
  resolve: (name) =>
    resolvePage(name, import.meta.glob(['./pages/**/*.svelte', '../modules/*/pages/**/*.svelte'])),
  progress: { color: '#2459b3' },
  nonce,
})
