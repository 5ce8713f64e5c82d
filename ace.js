/*
 * Ace entry point. The project pins its own Node.js 24 (the `node` package in
 * devDependencies): when this file is started by an older system Node, it
 * re-runs itself under the project's binary so `node ace <command>` works as
 * documented on any machine.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  const local = fileURLToPath(new URL('./node_modules/.bin/node', import.meta.url))
  if (!existsSync(local)) {
    console.error('Charpente needs Node.js 24: run `npm ci` first (it installs Node 24 locally).')
    process.exit(1)
  }
  const result = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  process.exit(result.status ?? 1)
}

await import('@poppinss/ts-exec')
await import('./bin/console.js')
