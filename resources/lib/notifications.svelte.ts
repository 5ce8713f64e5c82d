import { Transmit } from '@adonisjs/transmit-client'

/**
 * The live side of the notification bell: one server-sent-events stream per
 * browser tab (kept across Inertia page visits), subscribed to the signed-in
 * user's private channel. `unread` follows the server's count for the
 * current company; `version` changes with each notification pushed, so a
 * page can reload its list.
 */
export const live = $state({ unread: 0, version: 0, locale: 'fr', last: null as string | null })

let connected: { userId: number; transmit: Transmit } | null = null
let companyId: number | null = null

type Message = { companyId: number; unread: number; notification: { title: string } }

export function setCompany(id: number | null) {
  companyId = id
}

export function connectLive(userId: number) {
  if (typeof window === 'undefined' || connected?.userId === userId) return
  connected?.transmit.close()
  const transmit = new Transmit({ baseUrl: window.location.origin })
  connected = { userId, transmit }
  const subscription = transmit.subscription(`notifications/users/${userId}`)
  subscription.onMessage<Message>((message) => {
    // The channel is the user's in every company: count only the current one.
    if (message.companyId !== companyId) return
    live.unread = message.unread
    live.last = message.notification.title
    live.version += 1
  })
  subscription.create().catch(() => {})
}

export function disconnectLive() {
  connected?.transmit.close()
  connected = null
}
