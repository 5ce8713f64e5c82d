/*
 * Builds the front-end assets with Vite (`vite build --app`: the browser
 * bundle and the SSR bundle of public pages) when they are missing or older
 * than their sources. A server started without Vite's dev server (`npm start`,
 * the production build, the test suite's separate processes, the benchmark)
 * renders pages from these files.
 *
 *   node bin/assets.js        build if needed
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const MANIFESTS = ['public/assets/.vite/manifest.json', 'public/assets/server/.vite/manifest.json']
const SOURCES = ['resources', 'vite.config.ts', 'svelte.config.js', 'package-lock.json']

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
  for (const path of SOURCES) visit(`${root}${path}`)
  for (const name of existsSync(`${root}modules`) ? readdirSync(`${root}modules`) : []) {
    visit(`${root}modules/${name}/pages`)
    visit(`${root}modules/${name}/components`)
    visit(`${root}modules/${name}/lang`)
  }
  return newest
}

export function assetsAreCurrent() {
  if (!MANIFESTS.every((file) => existsSync(`${root}${file}`))) return false
  const built = Math.min(...MANIFESTS.map((file) => statSync(`${root}${file}`).mtimeMs))
  return built >= newestSource()
}

/** Builds the assets unless they are current; exits the process if Vite fails. */
export function ensureAssets() {
  if (assetsAreCurrent()) return
  console.log('Building front-end assets…')
  const result = spawnSync(
    process.execPath,
    [`${root}node_modules/vite/bin/vite.js`, 'build', '--app', '--logLevel', 'error'],
    { cwd: root, stdio: 'inherit' }
  )
  if (result.status !== 0) {
    console.error('vite build failed')
    process.exit(result.status ?? 1)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) ensureAssets()
