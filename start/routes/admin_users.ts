import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { webStack, webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { inviteUserValidator, updateMemberValidator, listUsersValidator } from '#validators/users'

/*
 * Users: the admin's pages and API over the members of the current company,
 * everyone's own profile, the password links sent by mail and, outside
 * production, the mails the application kept.
 */

const AdminUsersController = () => import('#controllers/admin_users_controller')
const ProfileController = () => import('#controllers/profile_controller')
const PasswordController = () => import('#controllers/password_controller')
const DevMailsController = () => import('#controllers/dev_mails_controller')

const MANAGE = 'kernel.users.manage'

router
  .group(() => {
    router.get('/settings/users', [AdminUsersController, 'index']).as('users.index')
    router.post('/settings/users', [AdminUsersController, 'invite']).as('users.invite')
    router.get('/settings/users/:id', [AdminUsersController, 'show']).as('users.show')
    router.put('/settings/users/:id', [AdminUsersController, 'update']).as('users.update')
    router
      .delete('/settings/users/:id/sessions', [AdminUsersController, 'endSessions'])
      .as('users.sessions.destroyAll')
    router
      .delete('/settings/users/:id/sessions/:sessionId', [AdminUsersController, 'endSession'])
      .as('users.sessions.destroy')
    router
      .delete('/settings/users/:id/mfa', [AdminUsersController, 'resetMfa'])
      .as('users.mfa.reset')
  })
  .use([...webAuthStack(), can(MANAGE)])

router
  .group(() => {
    router.get('/profile', [ProfileController, 'show']).as('profile.show')
    router.put('/profile', [ProfileController, 'update']).as('profile.update')
    router.put('/profile/password', [ProfileController, 'password']).as('profile.password')
    router.put('/profile/email', [ProfileController, 'email']).as('profile.email')
  })
  .use([...webAuthStack(), can('authenticated')])

router
  .group(() => {
    router.get('/password/forgot', [PasswordController, 'forgot']).as('password.forgot')
    router.post('/password/forgot', [PasswordController, 'sendReset']).as('password.sendReset')
  })
  .use([...webStack(), middleware.guest(), can('public')])

// A mailed link works whoever is signed in on this browser: using it signs its owner in.
router
  .group(() => {
    router.get('/password/invite/:token', [PasswordController, 'showInvite']).as('password.invite')
    router
      .post('/password/invite/:token', [PasswordController, 'acceptInvite'])
      .as('password.acceptInvite')
    router.get('/password/reset/:token', [PasswordController, 'showReset']).as('password.reset')
    router.post('/password/reset/:token', [PasswordController, 'reset']).as('password.update')
  })
  .use([...webStack(), can('public')])

if (!app.inProduction) {
  router
    .group(() => {
      router.get('/dev/mails', [DevMailsController, 'index']).as('devMails.index')
      router.get('/dev/mails/:id', [DevMailsController, 'show']).as('devMails.show')
      router.get('/dev/mails/:id/html', [DevMailsController, 'html']).as('devMails.html')
    })
    .use([...webStack(), can('public')])
}

/* API */
const member = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    email: { type: 'string', format: 'email' },
    fullName: { type: ['string', 'null'] },
    locale: { type: 'string' },
    isActive: { type: 'boolean' },
    pending: { type: 'boolean', description: 'Invited, has not chosen a password yet' },
    role: { type: 'string' },
    teamIds: { type: 'array', items: { type: 'integer' } },
  },
}
const session = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    signedInAt: { type: ['string', 'null'], format: 'date-time' },
    ip: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
    current: { type: 'boolean' },
  },
}

router
  .group(() => {
    apiDoc(router.get('/', [AdminUsersController, 'apiIndex']).as('api.users.index'), {
      summary: 'Members of the current company, by id (keyset pagination: pass `next` as `after`)',
      query: listUsersValidator,
      responses: {
        200: {
          description: 'A page of members',
          schema: {
            type: 'object',
            properties: {
              data: { type: 'array', items: member },
              next: { type: ['integer', 'null'] },
            },
          },
        },
      },
    })
    apiDoc(router.post('/', [AdminUsersController, 'apiInvite']).as('api.users.invite'), {
      summary: 'Invites a user by email with a role and teams; the mail carries a 48 h link',
      body: inviteUserValidator,
      responses: {
        201: {
          description: 'The invited member',
          schema: { type: 'object', properties: { data: member } },
        },
      },
    })
    apiDoc(router.get('/:id', [AdminUsersController, 'apiShow']).as('api.users.show'), {
      summary: 'One member of the current company',
      params: { id: 'User id' },
      responses: {
        200: {
          description: 'The member',
          schema: { type: 'object', properties: { data: member } },
        },
      },
    })
    apiDoc(router.patch('/:id', [AdminUsersController, 'apiUpdate']).as('api.users.update'), {
      summary:
        'Changes role, teams or active state; deactivating ends all sessions and revokes all tokens',
      params: { id: 'User id' },
      body: updateMemberValidator,
      responses: {
        200: {
          description: 'The member',
          schema: { type: 'object', properties: { data: member } },
        },
      },
    })
    apiDoc(
      router.delete('/:id/mfa', [AdminUsersController, 'apiResetMfa']).as('api.users.mfa.reset'),
      {
        summary: "Resets a member's two-step sign-in and ends their sessions",
        description:
          "For a member who lost both their authenticator and their recovery codes. Their secret and recovery codes are deleted (audited as `mfa.reset`); they enrol again at their next sign-in if their role requires it. Refused (422) for oneself: the profile switches one's own second factor off with the password and a code.",
        params: { id: 'User id' },
        responses: {
          200: '`{ data: { reset, sessionsEnded } }` — `reset` is false when the member had none',
        },
      }
    )
    apiDoc(
      router.get('/:id/sessions', [AdminUsersController, 'apiSessions']).as('api.users.sessions'),
      {
        summary: "A member's open sessions",
        params: { id: 'User id' },
        responses: {
          200: {
            description: 'The sessions',
            schema: { type: 'object', properties: { data: { type: 'array', items: session } } },
          },
        },
      }
    )
    apiDoc(
      router
        .delete('/:id/sessions', [AdminUsersController, 'apiEndSessions'])
        .as('api.users.sessions.destroyAll'),
      {
        summary: "Ends all of a member's sessions",
        params: { id: 'User id' },
        responses: { 200: 'How many sessions were ended' },
      }
    )
    apiDoc(
      router
        .delete('/:id/sessions/:sessionId', [AdminUsersController, 'apiEndSession'])
        .as('api.users.sessions.destroy'),
      {
        summary: "Ends one of a member's sessions",
        params: { id: 'User id', sessionId: 'Session id' },
        responses: { 204: 'Ended' },
      }
    )
  })
  .prefix('/api/v1/admin/users')
  .use([...apiStack(), can(MANAGE)])
