import limiter from '@adonisjs/limiter/services/main'
import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'

/**
 * Sign-in throttling: 5 failures in 15 minutes lock an account for 15
 * minutes; an address gets a higher allowance (an office shares one IP).
 * Counts live in the limiter store: memory, or Redis when configured, so
 * they hold across app instances.
 */
export const ACCOUNT_LIMIT = { requests: 5, duration: '15 mins', blockDuration: '15 mins' }
export const IP_LIMIT = { requests: 50, duration: '15 mins', blockDuration: '15 mins' }

export class TooManyLoginAttempts extends Exception {
  static status = 429
  static code = 'E_TOO_MANY_LOGIN_ATTEMPTS'

  constructor(public retryAfterSeconds: number) {
    super('Too many sign-in attempts')
  }

  /**
   * JSON clients get a 429. Pages get the wait time as an error on the email
   * field, through the usual redirect back (a browser follows only 3xx).
   */
  async handle(error: this, ctx: HttpContext) {
    const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60))
    const message = ctx.i18n
      ? ctx.i18n.t('auth.too_many_attempts', { minutes })
      : `Too many sign-in attempts. Try again in ${minutes} minute(s).`
    ctx.response.header('Retry-After', String(error.retryAfterSeconds))
    if (ctx.request.header('x-inertia') || ctx.request.accepts(['html', 'json']) !== 'json') {
      ctx.session.flashExcept(['password'])
      ctx.session.flash('inputErrorsBag', { email: [message] })
      return ctx.response.redirect().back()
    }
    return ctx.response.status(429).send({
      errors: [{ field: 'email', rule: 'throttle', message, retryAfter: error.retryAfterSeconds }],
    })
  }
}

/**
 * Runs a credential check under the throttle: refused at once while the
 * account or the address is locked; a failure counts against both; a success
 * clears the account's count — unless `settles` says the sign-in is not over
 * (a password whose second factor is still to come keeps the count, so the
 * password and the codes share one allowance).
 */
export async function throttledLogin<T>(
  email: string,
  ip: string,
  check: () => Promise<T>,
  options: { settles?: (result: T) => boolean | Promise<boolean> } = {}
) {
  const account = limiter.use(ACCOUNT_LIMIT)
  const address = limiter.use(IP_LIMIT)
  const accountKey = `login_account_${email.toLowerCase()}`
  const addressKey = `login_ip_${ip}`

  for (const [store, key] of [
    [account, accountKey],
    [address, addressKey],
  ] as const) {
    if ((await store.remaining(key)) <= 0) {
      throw new TooManyLoginAttempts(Math.max(1, Math.ceil(await store.availableIn(key))))
    }
  }
  try {
    const result = await check()
    if (!options.settles || (await options.settles(result))) await account.delete(accountKey)
    return result
  } catch (error) {
    await Promise.all([account.increment(accountKey), address.increment(addressKey)])
    throw error
  }
}
