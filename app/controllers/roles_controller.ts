import type { HttpContext } from '@adonisjs/core/http'
import { roleAdmin } from '#kernel/security/role_admin'
import { permissionGroups } from '#kernel/security/catalog'
import { createRoleValidator, updateRoleValidator, saveMatrixValidator } from '#validators/roles'

/** The role × permission matrix editor (pages) and /api/v1/admin/roles. */
export default class RolesController {
  async index({ inertia, i18n }: HttpContext) {
    return inertia.render('settings/roles', {
      roles: await roleAdmin.list(),
      groups: permissionGroups(i18n.locale),
    })
  }

  async store({ request, response, session, i18n }: HttpContext) {
    const data = await request.validateUsing(createRoleValidator)
    const role = await roleAdmin.create(data)
    session.flash('success', i18n.t('roles.created', { name: role.name }))
    return response.redirect('/settings/roles')
  }

  /** Saves the whole matrix: every role sent, in one transaction. */
  async saveMatrix({ request, response, session, i18n }: HttpContext) {
    const { roles } = await request.validateUsing(saveMatrixValidator)
    await roleAdmin.saveMatrix(roles)
    session.flash('success', i18n.t('roles.saved'))
    return response.redirect('/settings/roles')
  }

  async update({ request, params, response, session, i18n }: HttpContext) {
    const data = await request.validateUsing(updateRoleValidator)
    await roleAdmin.update(Number(params.id), data)
    session.flash('success', i18n.t('roles.saved'))
    return response.redirect('/settings/roles')
  }

  async destroy({ params, response, session, i18n }: HttpContext) {
    try {
      await roleAdmin.remove(Number(params.id))
      session.flash('success', i18n.t('roles.deleted'))
    } catch (error) {
      const { status, code } = error as { status?: number; code?: string }
      if (status !== 409) throw error
      session.flash(
        'error',
        i18n.t(code === 'E_ROLE_IN_USE' ? 'roles.in_use' : 'roles.builtin_not_deletable')
      )
    }
    return response.redirect('/settings/roles')
  }

  async apiIndex() {
    return { data: await roleAdmin.list() }
  }

  async apiShow({ params }: HttpContext) {
    return { data: await roleAdmin.find(Number(params.id)) }
  }

  async apiStore({ request, response }: HttpContext) {
    const data = await request.validateUsing(createRoleValidator)
    return response.created({ data: await roleAdmin.create(data) })
  }

  async apiUpdate({ request, params }: HttpContext) {
    const data = await request.validateUsing(updateRoleValidator)
    return { data: await roleAdmin.update(Number(params.id), data) }
  }

  async apiDestroy({ params, response }: HttpContext) {
    await roleAdmin.remove(Number(params.id))
    return response.noContent()
  }
}
