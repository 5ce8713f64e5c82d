import type { HttpContext } from '@adonisjs/core/http'

export default class HealthController {
  /** The process answers. */
  async live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  /** The process can serve: database (and Redis when configured) reachable. */
  async ready({ response }: HttpContext) {
    const { healthChecks } = await import('#start/health')
    const report = await healthChecks.run()
    return report.isHealthy ? response.ok(report) : response.serviceUnavailable(report)
  }
}
