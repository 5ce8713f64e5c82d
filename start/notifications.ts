import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import emitter from '@adonisjs/core/services/emitter'
import { workflowDelivery } from '#kernel/workflow/engine'
import { notificationChannels } from '#kernel/notifications/notifications'
import { deliverWorkflowActions } from '#kernel/notifications/workflow'

/*
 * Wires the notification service: mails through @adonisjs/mail, live pushes
 * through transmit (any process may push; with Redis it reaches every
 * instance), and the workflow engine's notify/email actions.
 */
notificationChannels.mail = async (to, content) => {
  const { sendNotificationMail } = await import('#kernel/notifications/mail')
  await sendNotificationMail(to, content)
}
notificationChannels.push = (userId, message) => {
  import('#kernel/notifications/live')
    .then(({ pushToUser }) => pushToUser(userId, message))
    .catch((error) => logger.error({ err: error }, 'notification push failed'))
}
workflowDelivery.deliver = deliverWorkflowActions

// Only servers hold browsers' streams and answer subscriptions.
if (['web', 'test'].includes(app.getEnvironment())) {
  const { authorizeChannels, endStreams } = await import('#kernel/notifications/live')
  await authorizeChannels()
  // An open stream would hold the HTTP server's graceful close until the process is killed.
  // Terminating hooks run last-registered first: registered once the server is up, this one
  // ends the streams before the server waits for its connections to close.
  emitter.once('http:server_ready', () => app.terminating(endStreams))
}
