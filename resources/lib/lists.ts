/** A query parameter of a list page: left out of the address when null, undefined, '' or false. */
export type QueryValue = string | number | boolean | null | undefined

/**
 * A list page's address with its query (filters, cursor), the empty values
 * left out so that an unfiltered first page is the bare path.
 */
export function listHref(path: string, params: Record<string, QueryValue> = {}): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === false) continue
    const text = String(value)
    if (text !== '') query.set(key, text)
  }
  const text = query.toString()
  return text ? `${path}?${text}` : path
}

/** A query parameter of the current address (`page.url`), or null. */
export function queryParam(url: string, name: string): string | null {
  const index = url.indexOf('?')
  return index === -1 ? null : new URLSearchParams(url.slice(index + 1)).get(name)
}
