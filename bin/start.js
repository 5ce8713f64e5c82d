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
import { existsSync, readdirSync, statSync } from 'node:fs'
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

/** Newest modification time among the files that make up the front end. */
function newestSource() {
  let newest = 0
  const visit = (path) => {
    if (!existsSync(path)) return
    const stats = statSync(path)
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) visit(`${path}/${entry}`)
    } else {
      newest = Math.max(newest, stats.mtimeMs)
    }
  }
  for (const path of ['resources', 'vite.config.ts', 'svelte.config.js', 'package-lock.json']) {
    visit(`${root}${path}`)
  }
  for (const name of existsSync(`${root}modules`) ? readdirSync(`${root}modules`) : []) {
    visit(`${root}modules/${name}/pages`)
    visit(`${root}modules/${name}/components`)
  }
  return newest
}

function assetsAreCurrent() {
  const manifests = [
    'public/assets/.vite/manifest.json',
    'public/assets/server/.vite/manifest.json',
  ]
  if (!manifests.every((file) => existsSync(`${root}${file}`))) return false
  const built = Math.min(...manifests.map((file) => statSync(`${root}${file}`).mtimeMs))
  return built >= newestSource()
}

process.chdir(root)
await import('./first_run.js')

if (!assetsAreCurrent()) {
  console.log('Building front-end assets…')
  // `--app` builds every Vite environment: the browser bundle and the SSR one.
  run(
    [`${root}node_modules/vite/bin/vite.js`, 'build', '--app', '--logLevel', 'warn'],
    'vite build'
  )
}

run([`${root}ace.js`, 'app:prepare'], 'node ace app:prepare')

await import('@poppinss/ts-exec')
await import('./server.js')
