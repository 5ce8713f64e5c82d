import { CronExpressionParser } from 'cron-parser'

/**
 * Cron expressions of schedules: five fields (minute hour day-of-month month
 * day-of-week) or six with seconds first. Read in `timezone` (UTC by default).
 */
export function parseCron(expression: string, timezone = 'UTC', currentDate = new Date()) {
  return CronExpressionParser.parse(expression, { currentDate, tz: timezone, strict: false })
}

/** Why an expression is refused, or null when it is a valid one. */
export function cronProblem(expression: string, timezone?: string): string | null {
  const fields = expression.trim().split(/\s+/).length
  if (fields !== 5 && fields !== 6) {
    return 'it needs five fields (minute hour day month weekday) or six with seconds first'
  }
  try {
    parseCron(expression, timezone)
    return null
  } catch (error) {
    return (error as Error).message
  }
}

/** The latest tick at or before `now` (whole seconds), or null when none is found. */
export function latestTick(expression: string, timezone: string | undefined, now: Date) {
  // Just past `now`, so a tick falling exactly on `now` counts as due.
  const after = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1)
  try {
    return parseCron(expression, timezone, after).prev().toDate()
  } catch {
    return null
  }
}

/** The next tick after `now`. */
export function nextTick(expression: string, timezone: string | undefined, now = new Date()) {
  try {
    return parseCron(expression, timezone, now).next().toDate()
  } catch {
    return null
  }
}

/**
 * The ticks after `since` up to `now` included, oldest first, at most `max`
 * (the newest ones when there are more).
 */
export function ticksBetween(
  expression: string,
  timezone: string | undefined,
  since: Date,
  now: Date,
  max = 10
): Date[] {
  const ticks: Date[] = []
  try {
    const cron = parseCron(expression, timezone, since)
    for (;;) {
      const tick = cron.next().toDate()
      if (tick.getTime() > now.getTime()) break
      ticks.push(tick)
      if (ticks.length > max) ticks.shift()
    }
  } catch {}
  return ticks
}
