import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { webStack, webAuthStack, can } from '#start/stacks'

const MfaChallengeController = () => import('#controllers/mfa_challenge_controller')
const MfaController = () => import('#controllers/mfa_controller')

/*
 * Multi-factor sign-in (pages only: the API stays on personal access tokens,
 * which are created from a signed-in session).
 */

/* The second step of a sign-in: not signed in yet, a challenge in the session */
router
  .group(() => {
    router.get('/login/mfa', [MfaChallengeController, 'show']).as('mfa.challenge')
    router.post('/login/mfa', [MfaChallengeController, 'store']).as('mfa.verify')
  })
  .use([...webStack(), middleware.guest(), can('public')])

/* Enrolment, recovery codes and switch-off on the profile's security page */
router
  .group(() => {
    router.get('/profile/security', [MfaController, 'show']).as('mfa.show')
    router.post('/profile/security/enable', [MfaController, 'enable']).as('mfa.enable')
    router
      .post('/profile/security/recovery-codes', [MfaController, 'regenerate'])
      .as('mfa.regenerate')
    router.post('/profile/security/disable', [MfaController, 'disable']).as('mfa.disable')
  })
  .use([...webAuthStack(), can('authenticated')])
