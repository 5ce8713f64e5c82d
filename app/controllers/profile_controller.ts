import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { fieldError } from '#kernel/http/field_error'
import { endSessionsOf, sessionsOf } from '#kernel/users/sessions'
import { passwordChanged } from '#kernel/audit/auth_events'
import { profileValidator, changePasswordValidator, changeEmailValidator } from '#validators/users'

/** The signed-in user's own account: name, language, password, email. */
export default class ProfileController {
  async show({ inertia, auth, session }: HttpContext) {
    const user = auth.user as User
    return inertia.render('profile', {
      profile: { email: user.email, fullName: user.fullName, locale: user.locale },
      sessions: await sessionsOf(user.id, session.sessionId),
    })
  }

  async update({ request, auth, session, response, i18n }: HttpContext) {
    const data = await request.validateUsing(profileValidator)
    const user = auth.user as User
    user.merge(data)
    await user.save()
    // The account's language wins over an earlier switch kept in the session.
    session.put('locale', user.locale)
    session.flash('success', i18n.t('users.profile_saved'))
    return response.redirect('/profile')
  }

  /** Checks the current password again before a sensitive change. */
  async #reauthenticate(ctx: HttpContext, password: string) {
    const user = ctx.auth.user as User
    if (!(await user.verifyPassword(password))) {
      throw fieldError('currentPassword', ctx.i18n.t('users.wrong_password'), 'password')
    }
    return user
  }

  /** A new password ends every other session of the account. */
  async password(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(changePasswordValidator, {
      meta: { email: (ctx.auth.user as User).email },
    })
    const user = await this.#reauthenticate(ctx, data.currentPassword)
    user.password = data.password
    await user.save()
    await passwordChanged(user, { via: 'profile' })
    await endSessionsOf(user.id, ctx.session.sessionId)
    ctx.session.flash('success', ctx.i18n.t('users.password_changed'))
    return ctx.response.redirect('/profile')
  }

  async email(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(changeEmailValidator)
    const user = await this.#reauthenticate(ctx, data.currentPassword)
    const taken = await User.query().where('email', data.email).whereNot('id', user.id).first()
    if (taken) throw fieldError('email', ctx.i18n.t('users.email_taken'), 'unique')
    user.email = data.email
    await user.save()
    ctx.session.flash('success', ctx.i18n.t('users.email_changed'))
    return ctx.response.redirect('/profile')
  }
}
