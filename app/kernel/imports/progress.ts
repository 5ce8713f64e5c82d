import cache from '@adonisjs/cache/services/main'

export interface ImportProgress {
  phase: 'check' | 'apply'
  done: number
  total: number
  /** Set when the phase ended */
  finished?: boolean
}

/**
 * Where an import stands while its request runs, for the page's polling:
 * kept in this process (immediate) and in the cache (Redis when configured,
 * so a poll answered by another app instance sees it too). Written at most
 * every 100 rows; never in the import's transaction.
 */
const local = new Map<number, ImportProgress>()
const key = (id: number) => `imports:progress:${id}`

export async function setProgress(id: number, progress: ImportProgress) {
  local.set(id, progress)
  try {
    await cache.set({ key: key(id), value: progress, ttl: '1h' })
  } catch {
    // The cache is a convenience for other instances; this one already knows.
  }
}

export async function getProgress(id: number): Promise<ImportProgress | null> {
  const here = local.get(id)
  if (here) return here
  try {
    return ((await cache.get({ key: key(id) })) as ImportProgress | undefined) ?? null
  } catch {
    return null
  }
}

export async function clearProgress(id: number) {
  local.delete(id)
  try {
    await cache.delete({ key: key(id) })
  } catch {
    // Expires on its own.
  }
}
