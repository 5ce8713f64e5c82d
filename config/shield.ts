import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/shield'
import { secureCookies } from '#config/app'

/**
 * Outside production, pages load their scripts from Vite's dev server, which
 * runs inside the app (same origin) but keeps its hot-reload websocket on a
 * port of its own (VITE_HMR_PORT when `node ace serve` sets it, else Vite's
 * default).
 */
const viteHmrPort = Number(process.env.VITE_HMR_PORT) || 24678
const devConnect = app.inProduction ? [] : [`ws://*:${viteHmrPort}`, `wss://*:${viteHmrPort}`]

const shieldConfig = defineConfig({
  /**
   * Scripts run only from this origin and with the response's nonce, which
   * the page layout puts on the Vite tags and hands to the Inertia and Vite
   * clients for the <style> elements they insert (progress bar, CSS in
   * development). No inline script or style attribute, no plugin, no framing.
   * The dev mail viewer's mail body sets a policy of its own.
   */
  csp: {
    enabled: true,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", '@nonce'],
      styleSrc: ["'self'", '@nonce'],
      // data: for QR codes and images inlined in the page.
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", ...devConnect],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    reportOnly: false,
  },
  csrf: {
    enabled: true,
    exceptRoutes: [],
    enableXsrfCookie: true,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: {
    enabled: true,
    action: 'DENY',
  },
  // HSTS only means something over HTTPS.
  hsts: {
    enabled: secureCookies,
    maxAge: '365 days',
    includeSubDomains: true,
  },
  contentTypeSniffing: {
    enabled: true,
  },
})

export default shieldConfig
