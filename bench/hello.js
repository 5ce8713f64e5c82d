/*
 * The yardstick: the smallest useful node:http server, on the same Node as
 * the application. Every figure of the benchmark is read against it.
 */
import { createServer } from 'node:http'

createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' })
  response.end('hello')
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
