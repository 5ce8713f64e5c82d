/*
 * Prepares a fresh checkout: creates `.env` from `.env.example` with a newly
 * generated APP_KEY when it is missing, and the `tmp/` folder that holds the
 * embedded SQLite database. Plain JavaScript so it runs on any Node version.
 *
 *   node bin/first_run.js            prepare .env and tmp/
 *   node bin/first_run.js --env-only  same (kept for script readability)
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const envPath = `${root}.env`

mkdirSync(`${root}tmp`, { recursive: true })

if (!existsSync(envPath)) {
  const example = readFileSync(`${root}.env.example`, 'utf8')
  const key = randomBytes(32).toString('base64url')
  writeFileSync(envPath, example.replace(/^APP_KEY=.*$/m, `APP_KEY=${key}`))
  console.log('Created .env with a new APP_KEY')
}
