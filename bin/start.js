/*
 * `npm start`: runs the site from a fresh checkout with no watcher.
 *
 *   1. creates `.env` (with a new APP_KEY) and `tmp/` when missing;
 *   2. builds the front-end assets with Vite when they are missing or older
 *      than their sources (client bundle and the SSR bundle of public pages);
 *   3. runs `node ace app:prepare` (pending migrations, modules, demo data);
 *   4. serves bin/server.ts through the TypeScript loader, in this process.
 *
 * NODE_ENV is whatever `.env` says. Plain JavaScript so it starts on any Node:
 * under an older one it re-runs itself with the project's Node 24.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const localNode = `${root}node_modules/.bin/node`

if (Number(process.versions.node.split('.')[0]) < 24) {
  if (!existsSync(localNode)) {
    console.error('Charpente needs Node.js 24: run `npm ci` first (it installs Node 24 locally).')
    process.exit(1)
  }
  const result = spawnSync(localNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  process.exit(result.status ?? 1)
}

function run(args, what) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`${what} failed`)
    process.exit(result.status ?? 1)
  }
}

process.chdir(root)
await import('./first_run.js')

const { ensureAssets } = await import('./assets.js')
ensureAssets()

run([`${root}ace.js`, 'app:prepare'], 'node ace app:prepare')

await import('@poppinss/ts-exec')
await import('./server.js')
