import env from '#start/env'
import { defineConfig } from '@adonisjs/core/http'

export const appKey = env.get('APP_KEY')

export const appUrl = env.get('APP_URL', `http://localhost:${env.get('PORT', 3333)}`)

/**
 * Secure and `__Host-` cookies need HTTPS: they follow the public URL, not
 * NODE_ENV, so an office serving the site over plain http on its LAN can log in.
 */
export const secureCookies = appUrl.startsWith('https://')

/**
 * Response bodies through the engine's JSON.stringify (several times faster
 * than the framework's default, a JavaScript serializer); only a body it
 * refuses — a bigint or a circular reference — goes to the default, which
 * writes bigints as strings and leaves circular references out.
 */
const defaultSerializeJSON = defineConfig({}).serializeJSON

function serializeJSON(value: unknown) {
  try {
    return JSON.stringify(value)
  } catch {
    return defaultSerializeJSON(value)
  }
}

export const http = defineConfig({
  generateRequestId: true,
  serializeJSON,
  allowMethodSpoofing: false,
  useAsyncLocalStorage: true,
  /**
   * X-Forwarded-For is believed only from a reverse proxy on this machine:
   * from anyone else it would let a client pick its own IP address (and so
   * dodge per-IP rate limits).
   */
  trustProxy: (address: string) =>
    address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: secureCookies,
    sameSite: 'lax',
  },
})
