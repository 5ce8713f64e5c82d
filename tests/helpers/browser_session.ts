import assert from 'node:assert/strict'
import db from '@adonisjs/lucid/services/db'
import { nextCodeFor } from '#tests/helpers/mfa'

/** What a browser asks for when it navigates to a page. */
const NAVIGATION_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

/** A response as a browser got it: status, headers, body. */
export class JarResponse {
  constructor(
    private response: Response,
    readonly body: string
  ) {}

  status() {
    return this.response.status
  }

  header(name: string) {
    return this.response.headers.get(name) ?? undefined
  }

  assertStatus(expected: number) {
    assert.equal(this.status(), expected, `expected ${expected}, got ${this.status()}`)
  }

  assertHeader(name: string, expected: string) {
    assert.equal(this.header(name), expected)
  }
}

/**
 * A browser's cookie jar: keeps the cookies responses set and sends them
 * back, with the XSRF header on mutations, as a page would. It talks to the
 * test server with plain fetch, because the API client's session plugin
 * destroys every session a response creates; here the real session cookie
 * lives on, so a test can replay an old cookie after logout.
 */
export class CookieJar {
  cookies = new Map<string, string>()

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  #keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0\b/i.test(line)) {
        this.cookies.delete(name)
      } else {
        this.cookies.set(name, value)
      }
    }
  }

  async #request(
    method: string,
    url: string,
    body?: Record<string, unknown>,
    extra: Record<string, string> = {}
  ) {
    const headers: Record<string, string> = { cookie: this.header(), ...extra }
    if (body) {
      headers['content-type'] = 'application/json'
      headers['x-xsrf-token'] = decodeURIComponent(this.cookies.get('XSRF-TOKEN') ?? '')
    }
    const response = await fetch(`http://${process.env.HOST}:${process.env.PORT}${url}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'manual',
    })
    this.#keep(response)
    return new JarResponse(response, await response.text())
  }

  /** A page visit, with the Accept header a browser's navigation sends, unless told otherwise. */
  get(url: string, headers: Record<string, string> = {}) {
    return this.#request('GET', url, undefined, { accept: NAVIGATION_ACCEPT, ...headers })
  }

  async send(
    method: 'post' | 'put' | 'delete',
    url: string,
    body: Record<string, unknown> = {},
    headers: Record<string, string> = {}
  ) {
    if (!this.cookies.has('XSRF-TOKEN')) await this.get('/login')
    return this.#request(method.toUpperCase(), url, body, headers)
  }

  /** The JSON body of a response. */
  static json(response: JarResponse) {
    return JSON.parse(response.body)
  }

  /** The Inertia page (component and props) an HTML page response carries. */
  static page(response: JarResponse): { component: string; props: Record<string, any> } {
    const data = /<script data-page="[^"]*" type="application\/json">([\s\S]*?)<\/script>/.exec(
      response.body
    )
    if (!data) throw new Error(`No Inertia page in the response (${response.status()})`)
    return JSON.parse(data[1])
  }

  /** The session id the session cookie carries (its signed payload's message). */
  sessionId(): string | null {
    const cookie = [...this.cookies].find(([name]) => name.endsWith('charpente-session'))?.[1]
    if (!cookie) return null
    const payload = decodeURIComponent(cookie).replace(/^s:/, '').split('.')[0]
    return JSON.parse(Buffer.from(payload, 'base64url').toString()).message
  }

  /** A copy of the jar as it is now (a stolen cookie, another tab). */
  clone() {
    const copy = new CookieJar()
    copy.cookies = new Map(this.cookies)
    return copy
  }
}

/**
 * Signs in through the login form — and its second step with the user's next
 * code when their MFA is on — and returns the jar holding the session.
 */
export async function signIn(email: string, password: string) {
  const jar = new CookieJar()
  await jar.get('/login')
  let response = await jar.send('post', '/login', { email, password })
  if (response.status() === 302 && response.header('location') === '/login/mfa') {
    const user = await db.from('users').where('email', email.toLowerCase()).firstOrFail()
    response = await jar.send('post', '/login/mfa', { code: await nextCodeFor(user.id) })
  }
  if (response.status() !== 302 || response.header('location') !== '/') {
    throw new Error(`Sign-in failed: ${response.status()} ${response.body}`)
  }
  return jar
}

/** The newest mail kept for an address, and the path of the first link in it. */
export async function lastMailTo(email: string) {
  const mail = await db.from('dev_mails').where('to', email).orderBy('id', 'desc').first()
  if (!mail) return null
  const url = /https?:\/\/[^\s"<>]+/.exec(mail.text ?? '')?.[0] ?? null
  return {
    id: mail.id as number,
    subject: mail.subject as string,
    html: mail.html as string,
    text: mail.text as string,
    path: url ? new URL(url).pathname : null,
  }
}
