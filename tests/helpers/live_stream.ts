import { randomUUID } from 'node:crypto'

/** One message of the live stream: the channel and what was pushed. */
export interface StreamMessage {
  channel: string
  payload: any
}

/**
 * A live notification stream opened as a browser does (GET
 * /__transmit/events with the session cookie), read as server-sent events.
 */
export class LiveStream {
  readonly messages: StreamMessage[] = []
  #waiters: (() => void)[] = []
  #controller = new AbortController()

  private constructor(
    readonly uid: string,
    readonly status: number
  ) {}

  static async open(base: string, cookie: string, uid: string = randomUUID()) {
    const controller = new AbortController()
    const response = await fetch(`${base}/__transmit/events?uid=${uid}`, {
      headers: { cookie, accept: 'text/event-stream' },
      redirect: 'manual',
      signal: controller.signal,
    })
    const stream = new LiveStream(uid, response.status)
    stream.#controller = controller
    if (response.status === 200 && response.body) stream.#read(response.body)
    else await response.body?.cancel()
    return stream
  }

  async #read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body as any as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end !== -1) {
          const event = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = event
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n')
          if (data) {
            const message = JSON.parse(data) as StreamMessage
            if (message.channel !== '$$transmit/ping') this.messages.push(message)
            this.#waiters.splice(0).forEach((wake) => wake())
          }
          end = buffer.indexOf('\n\n')
        }
      }
    } catch {
      // Closed by close(): nothing more to read.
    }
  }

  /** Waits for a message matching `predicate`; null after `ms`. */
  async waitFor(predicate: (m: StreamMessage) => boolean, ms = 5000) {
    const deadline = Date.now() + ms
    while (Date.now() < deadline) {
      const found = this.messages.find(predicate)
      if (found) return found
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.messages.find(predicate) ?? null
  }

  close() {
    this.#controller.abort()
  }
}
