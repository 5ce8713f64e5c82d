import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { rm } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'

const run = promisify(execFile)

/**
 * A second site on its own, empty database (a fresh SQLite file, or a fresh
 * PostgreSQL database next to the test one), served by a separate process.
 * For behaviour that depends on the whole site being new, such as first-run
 * setup, or on environment variables read at boot (`options.env`).
 */
export async function startIsolatedSite(
  name: string,
  port: number,
  options: { env?: NodeJS.ProcessEnv } = {}
) {
  const pg = db.connection().dialect.name === 'postgres'
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DEMO: 'false',
    ...options.env,
  }
  let cleanup: () => Promise<void>
  if (pg) {
    const database = `${process.env.DB_DATABASE ?? 'charpente'}_${name}`
    await db.rawQuery(`DROP DATABASE IF EXISTS "${database}"`)
    await db.rawQuery(`CREATE DATABASE "${database}"`)
    env.DB_DATABASE = database
    cleanup = async () => {
      await db.rawQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    }
  } else {
    const file = `tmp/${name}-${port}.sqlite3`
    // The write-ahead log lives beside the file: a stale one would be replayed.
    const removeAll = () =>
      Promise.all(
        ['', '-wal', '-shm'].map((suffix) => rm(app.makePath(`${file}${suffix}`), { force: true }))
      ).then(() => {})
    await removeAll()
    env.SQLITE_FILE = file
    cleanup = removeAll
  }
  await run(process.execPath, [app.makePath('ace.js'), 'app:prepare'], { cwd: app.makePath(), env })
  const server = await startServer(port, env)
  return {
    url: server.url,
    async stop() {
      await server.stop()
      await cleanup()
    },
    /** Sends SIGTERM and reports how the process ended (no kill fallback). */
    async stopAndWait(): Promise<{ exitCode: number | null; signal: string | null }> {
      const result = await server.stopAndWait()
      await cleanup()
      return result
    },
  }
}

/**
 * An app server process on `port` with `env` (for instance the test
 * database itself, to run several instances of one site); resolves once it
 * answers its liveness check.
 */
export async function startServer(port: number, env: NodeJS.ProcessEnv) {
  env = { ...env, PORT: String(port) }
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', '@poppinss/ts-exec', app.makePath('bin/server.ts')],
    { cwd: app.makePath(), env, stdio: 'ignore' }
  )
  const url = `http://127.0.0.1:${port}`
  const started = Date.now()
  while (Date.now() - started < 30000) {
    try {
      if ((await fetch(`${url}/health/live`)).ok) break
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      // A graceful stop is part of what is tested elsewhere; here, never hang on it.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000)
      await exited
      clearTimeout(timer)
    },
    /** Sends SIGTERM and reports how the process ended (no kill fallback). */
    async stopAndWait(): Promise<{ exitCode: number | null; signal: string | null }> {
      const ended = new Promise<{ exitCode: number | null; signal: string | null }>((resolve) =>
        child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }))
      )
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000)
      const result = await ended
      clearTimeout(timer)
      return result
    },
  }
}

/** A port nothing listens on at the moment, for a site of its own. */
export async function freePort() {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A tiny cookie-keeping client, enough to drive forms with their CSRF token. */
export class CookieClient {
  cookies = new Map<string, string>()
  #lastPage: string | null = null
  constructor(private base: string) {}

  #remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1))
    }
  }

  async request(method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = {
      cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      accept: 'text/html',
    }
    const xsrf = this.cookies.get('XSRF-TOKEN')
    if (xsrf) headers['x-xsrf-token'] = decodeURIComponent(xsrf)
    if (body) headers['content-type'] = 'application/json'
    // Like a browser: a form post names the page it was sent from.
    if (this.#lastPage && method !== 'GET') headers.referer = `${this.base}${this.#lastPage}`
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'manual',
    })
    this.#remember(response)
    if (method === 'GET' && response.status === 200) this.#lastPage = path
    return response
  }
}
