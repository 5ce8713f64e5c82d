import type { NotificationTypeDeclaration } from '../modules/define_module.js'

/**
 * The kernel's own notification types: what workflow actions send. A
 * transition's `notify` action reaches users in the app (email if they ask
 * for it); an `email` action is meant as a mail, so mail is on by default.
 */
export const KERNEL_NOTIFICATION_TYPES: NotificationTypeDeclaration[] = [
  {
    key: 'workflow',
    label: { fr: 'Workflows : notifications', en: 'Workflows: notifications' },
    channels: { inApp: true, email: false },
  },
  {
    key: 'workflow_email',
    label: { fr: 'Workflows : e-mails', en: 'Workflows: emails' },
    channels: { inApp: true, email: true },
  },
]
