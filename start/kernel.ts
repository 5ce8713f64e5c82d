import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

/**
 * Server middleware runs on every request, routed or not: keep it cheap.
 */
server.use([
  () => import('#middleware/container_bindings_middleware'),
  () => import('#middleware/request_id_middleware'),
  () => import('#middleware/static_files_middleware'),
  () => import('@adonisjs/vite/vite_middleware'),
  () => import('#middleware/inertia_middleware'),
])

router.use([() => import('@adonisjs/core/bodyparser_middleware')])

/**
 * Named middleware. Pages get the web stack (session, CSRF, session auth);
 * the API gets its own (JSON always, token auth, no session or CSRF work).
 * See start/stacks.ts.
 */
export const middleware = router.named({
  session: () => import('@adonisjs/session/session_middleware'),
  keepFlash: () => import('#middleware/keep_flash_middleware'),
  shield: () => import('@adonisjs/shield/shield_middleware'),
  initializeAuth: () => import('@adonisjs/auth/initialize_auth_middleware'),
  silentAuth: () => import('#middleware/silent_auth_middleware'),
  json: () => import('#middleware/force_json_middleware'),
  locale: () => import('#middleware/locale_middleware'),
  guest: () => import('#middleware/guest_middleware'),
  auth: () => import('#middleware/auth_middleware'),
  company: () => import('#middleware/company_middleware'),
  mfa: () => import('#middleware/mfa_enforcement_middleware'),
  can: () => import('#middleware/permission_middleware'),
  module: () => import('#middleware/module_gate_middleware'),
})
