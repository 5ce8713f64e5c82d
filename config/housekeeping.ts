import env from '#start/env'

/**
 * The kernel's housekeeping schedules (README, "Jobs and schedules"):
 * how often a delivery is tried before it is given up and shown to admins,
 * and how long an import nobody applied keeps its uploaded file.
 */
export const deliveryMaxAttempts = Math.max(1, env.get('DELIVERY_MAX_ATTEMPTS') ?? 8)

export const importRetentionDays = Math.max(1, env.get('IMPORT_RETENTION_DAYS') ?? 7)
