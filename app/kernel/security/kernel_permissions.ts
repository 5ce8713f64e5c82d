import type { PermissionDeclaration } from '../modules/define_module.js'

/**
 * Permissions the kernel itself checks (its admin pages and API). They are
 * listed with the modules' permissions, under the pseudo-module "kernel".
 */
export const KERNEL_PERMISSIONS: PermissionDeclaration[] = [
  {
    key: 'kernel.company.read',
    label: { fr: "Voir la fiche de l'entreprise", en: 'View the company profile' },
    defaults: ['manager', 'staff'],
  },
  {
    key: 'kernel.company.manage',
    label: { fr: "Modifier la fiche de l'entreprise", en: 'Edit the company profile' },
    defaults: [],
  },
  {
    key: 'kernel.modules.manage',
    label: {
      fr: 'Activer, désactiver et désinstaller les modules',
      en: 'Enable, disable and uninstall modules',
    },
    defaults: [],
  },
  {
    key: 'kernel.numbering.manage',
    label: {
      fr: 'Gérer les séries de numérotation (format, remise à zéro, prochain numéro)',
      en: 'Manage numbering series (format, reset, next number)',
    },
    defaults: [],
  },
  {
    key: 'kernel.custom_fields.manage',
    label: {
      fr: 'Gérer les champs personnalisés (ajout, modification, archivage, purge)',
      en: 'Manage custom fields (add, change, archive, purge)',
    },
    defaults: [],
  },
  {
    key: 'kernel.roles.manage',
    label: {
      fr: 'Gérer les rôles, les permissions et leurs portées',
      en: 'Manage roles, permissions and their scopes',
    },
    defaults: [],
  },
  {
    key: 'kernel.audit.read',
    label: { fr: "Consulter le journal d'audit", en: 'Read the audit trail' },
    defaults: [],
  },
  {
    key: 'kernel.users.manage',
    label: {
      fr: "Inviter, activer et désactiver les utilisateurs, gérer leurs rôles, sessions et jetons d'API",
      en: 'Invite, activate and deactivate users, manage their roles, sessions and API tokens',
    },
    defaults: [],
  },
  {
    key: 'kernel.workflows.manage',
    label: {
      fr: 'Modifier et publier les workflows',
      en: 'Edit and publish workflows',
    },
    defaults: [],
  },
  {
    key: 'kernel.jobs.manage',
    label: {
      fr: 'Voir les tâches en échec et les exécutions planifiées, relancer ou abandonner une tâche',
      en: 'See failed jobs and scheduled runs, retry or discard a job',
    },
    defaults: [],
  },
]
