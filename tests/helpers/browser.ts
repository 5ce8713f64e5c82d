import env from '#start/env'
import { chromium } from 'playwright'
import { browserClient } from '@japa/browser-client'

/**
 * Flags for Debian's Chromium on a machine without a display or network:
 * without the background-networking ones it keeps dialling Google's hosts.
 */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Where the test HTTP server listens (tests/bootstrap.ts starts it for the suite). */
export const baseUrl = `http://${env.get('HOST', 'localhost')}:${env.get('PORT', 3333)}`

/**
 * The browser client for the `browser` suite only: the system's Chromium
 * (Playwright never downloads a browser here), French locale, Paris time.
 * CHROMIUM_PATH points at another Chromium build.
 */
export function browserPlugin() {
  return browserClient({
    runInSuites: ['browser'],
    contextOptions: { baseURL: baseUrl, locale: 'fr-FR', timezoneId: 'Europe/Paris' },
    // The first page of a run waits for Vite to compile it.
    assertions: { timeout: 15_000 },
    launcher: (options) =>
      chromium.launch({
        ...options,
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: options.headless === false ? CHROMIUM_FLAGS : ['--headless', ...CHROMIUM_FLAGS],
      }),
  })
}
