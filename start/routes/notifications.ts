import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import {
  notificationListValidator,
  notificationPreferencesValidator,
} from '#validators/notifications'

/*
 * The notification centre. Notifications are their recipient's own: every
 * route serves the signed-in user's notifications in the current company,
 * so any member may call them (`authenticated`) and nobody reaches another's.
 */

const NotificationsController = () => import('#controllers/notifications_controller')
const LiveController = () => import('#controllers/live_controller')

router
  .group(() => {
    const id = router.matchers.number()
    router.get('/notifications', [NotificationsController, 'index']).as('index')
    router.get('/notifications/unread', [NotificationsController, 'unread']).as('unread')
    router
      .post('/notifications/:id/read', [NotificationsController, 'read'])
      .where('id', id)
      .as('read')
    router.post('/notifications/read-all', [NotificationsController, 'readAll']).as('read_all')
    router.get('/profile/notifications', [NotificationsController, 'preferences']).as('preferences')
    router
      .put('/profile/notifications', [NotificationsController, 'savePreferences'])
      .as('preferences.update')
  })
  .as('notifications')
  .use([...webAuthStack(), can('authenticated')])

/*
 * Live delivery (server-sent events). The paths are the ones the transmit
 * client uses; the stream and subscriptions belong to the signed-in user,
 * and subscribing is a page mutation like any other (CSRF token sent by the
 * client from the XSRF-TOKEN cookie).
 */
router
  .group(() => {
    router.get('/__transmit/events', [LiveController, 'events']).as('events')
    router.post('/__transmit/subscribe', [LiveController, 'subscribe']).as('subscribe')
    router.post('/__transmit/unsubscribe', [LiveController, 'unsubscribe']).as('unsubscribe')
  })
  .as('live')
  .use([...webAuthStack(), can('authenticated')])

const notification = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    type: { type: 'string', description: '`<module>.<key>` of a declared notification type' },
    title: { type: 'string' },
    body: { type: ['string', 'null'] },
    link: { type: ['string', 'null'], description: 'A path inside the site' },
    model: { type: ['string', 'null'] },
    recordId: { type: ['string', 'null'] },
    read: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
  },
}
const preference = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    module: { type: 'string' },
    label: { type: 'string' },
    inApp: { type: 'boolean' },
    email: { type: 'boolean' },
  },
}

router
  .group(() => {
    const id = router.matchers.number()
    apiDoc(router.get('/api/v1/notifications', [NotificationsController, 'apiIndex']).as('index'), {
      summary: "The user's notifications in the current company, newest first",
      description:
        'Keyset pagination: pass `nextCursor` as `cursor` for the next page; `unread=true` lists unread ones only.',
      query: notificationListValidator,
      responses: {
        200: {
          description: 'A page of notifications, with the unread count',
          schema: {
            type: 'object',
            properties: {
              data: { type: 'array', items: notification },
              nextCursor: { type: ['string', 'null'] },
              unread: { type: 'integer' },
            },
          },
        },
      },
    })
    apiDoc(
      router.get('/api/v1/notifications/unread', [NotificationsController, 'unread']).as('unread'),
      {
        summary: "How many of the user's notifications in the current company are unread",
        responses: {
          200: {
            description: 'The count',
            schema: {
              type: 'object',
              properties: {
                data: { type: 'object', properties: { unread: { type: 'integer' } } },
              },
            },
          },
        },
      }
    )
    apiDoc(
      router
        .post('/api/v1/notifications/:id/read', [NotificationsController, 'apiRead'])
        .where('id', id)
        .as('read'),
      {
        summary: 'Marks one of the user’s notifications read',
        params: { id: 'The notification id' },
        responses: { 200: 'Marked read (or already read)', 404: 'Not one of the user’s' },
      }
    )
    apiDoc(
      router
        .post('/api/v1/notifications/read-all', [NotificationsController, 'apiReadAll'])
        .as('read_all'),
      {
        summary: 'Marks every unread notification of the user in the current company read',
        responses: {
          200: {
            description: 'How many were marked',
            schema: {
              type: 'object',
              properties: {
                data: { type: 'object', properties: { marked: { type: 'integer' } } },
              },
            },
          },
        },
      }
    )
    apiDoc(
      router
        .get('/api/v1/me/notification-preferences', [NotificationsController, 'apiPreferences'])
        .as('preferences'),
      {
        summary: 'The user’s channels (in the app, email) per notification type',
        responses: {
          200: {
            description: 'One entry per type of the kernel and of enabled modules',
            schema: { type: 'object', properties: { data: { type: 'array', items: preference } } },
          },
        },
      }
    )
    apiDoc(
      router
        .put('/api/v1/me/notification-preferences', [NotificationsController, 'apiSavePreferences'])
        .as('preferences.update'),
      {
        summary: 'Sets the user’s channels for some notification types',
        description: 'Types not listed keep their current channels; an unknown type is a 422.',
        body: notificationPreferencesValidator,
        responses: {
          200: {
            description: 'Every type with its channels, after the change',
            schema: { type: 'object', properties: { data: { type: 'array', items: preference } } },
          },
        },
      }
    )
  })
  .as('api.notifications')
  .use([...apiStack(), can('authenticated')])
