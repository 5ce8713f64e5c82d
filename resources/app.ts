import './css/app.css'
import { createInertiaApp } from '@inertiajs/svelte'
import { resolvePage } from './pages.js'

createInertiaApp({
  resolve: (name) =>
    resolvePage(name, import.meta.glob(['./pages/**/*.svelte', '../modules/*/pages/**/*.svelte'])),
  progress: { color: '#2459b3' },
})
