import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'
import { moduleFolders } from '../app/kernel/modules/paths.js'
import { existsSync } from 'node:fs'

/**
 * French first, English second. Kernel texts live in resources/lang; each
 * module keeps its own in modules/<name>/lang/<locale>/<name>.json, so its
 * keys are namespaced by the module's name.
 */
const i18nConfig = defineConfig({
  defaultLocale: 'fr',
  supportedLocales: ['fr', 'en'],
  fallbackLocales: { en: 'fr' },
  formatter: formatters.icu(),
  loaders: [
    loaders.fs({ location: app.makePath('resources/lang') }),
    ...moduleFolders()
      .filter((name) => existsSync(app.makePath('modules', name, 'lang')))
      .map((name) => loaders.fs({ location: app.makePath('modules', name, 'lang') })),
  ],
})

export default i18nConfig
