/*
 * The numbering benchmark of `npm run bench`: BENCH_NUMBERING_CONNECTIONS
 * (200) clients create contacts through the API at once, each creation taking
 * the next code of the company's series inside its transaction. Reports the
 * assignments per second, then checks the codes the run handed out: as many
 * as successful creations, consecutive from where the series stood, no
 * duplicate. The contacts it created are deleted afterwards, so the list
 * benchmark's data stays the same from run to run (the numbers stay issued).
 */
import autocannon from 'autocannon'

/**
 * `database` gives the run's before/after state: `state()` → { lastId,
 * lastValue } of the series' counter and the contacts table, `codesAfter(id)`
 * → the codes of contacts with a greater id, `deleteAfter(id)`.
 */
export async function measureNumbering({ url, token, connections, duration, database, cpu }) {
  const before = await database.state()
  const cpuBefore = cpu?.() ?? null
  let sent = 0
  const instance = autocannon({
    url: `${url}/api/v1/contacts`,
    method: 'POST',
    connections,
    duration,
    timeout: 60,
    headers: {
      'authorization': `Bearer ${token}`,
      'content-type': 'application/json',
      'accept': 'application/json',
    },
    setupClient(client) {
      client.setBody(JSON.stringify({ kind: 'person', name: `Bench ${(sent += 1)}` }))
    },
  })
  const result = await instance
  const cpuAfter = cpu?.() ?? null
  // Requests still in flight when the clock stopped finish on the server
  // (autocannon does not count them): wait until the counter stops moving.
  let after = await database.state()
  for (let settled = false; !settled;) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const now = await database.state()
    settled = now.lastValue === after.lastValue
    after = now
  }
  const codes = await database.codesAfter(before.lastId)
  await database.deleteAfter(before.lastId)

  const created = result['2xx']
  const numbers = codes.map((code) => Number(String(code).replace(/\D/g, ''))).sort((a, b) => a - b)
  const unique = new Set(numbers).size
  const expected = Array.from({ length: numbers.length }, (_, i) => before.lastValue + 1 + i)
  return {
    assignmentsPerSecond: Math.round(created / duration),
    created,
    // Codes found: the counted creations and the few still in flight at the end
    codes: numbers.length,
    duplicates: numbers.length - unique,
    // Consecutive from where the series stood, up to where its counter stands now
    gapless:
      numbers.length >= created &&
      numbers.every((n, i) => n === expected[i]) &&
      after.lastValue === before.lastValue + numbers.length,
    cpuPerAssignment:
      cpuBefore === null || cpuAfter === null || !created ? null : (cpuAfter - cpuBefore) / created,
    first: numbers[0] ?? null,
    last: numbers.at(-1) ?? null,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

export function describeNumbering(label, r) {
  const check = r.gapless && r.duplicates === 0 ? 'no gap, no duplicate' : 'GAP OR DUPLICATE'
  const problems = r.non2xx || r.errors ? `  !! ${r.non2xx} non-2xx, ${r.errors} errors` : ''
  const cpu =
    r.cpuPerAssignment === null ? '' : `  cpu ${r.cpuPerAssignment.toFixed(2)} ms/assignment`
  return (
    `${label.padEnd(52)} ${String(r.assignmentsPerSecond).padStart(7)} assignments/s` +
    `  p50 ${r.p50} ms  p99 ${r.p99} ms${cpu}\n${''.padEnd(52)} ${r.codes} codes` +
    ` ${r.first}…${r.last}: ${check}${problems}`
  )
}
