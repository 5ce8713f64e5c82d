import { fieldError } from '#kernel/http/field_error'

/**
 * Keyset (seek) pagination: a page starts right after the last row of the
 * previous one, found through an index on (…, sort column, id), so page
 * 10 000 costs what page 1 costs — unlike OFFSET, which reads and discards
 * every earlier row. The cursor is opaque to clients: base64url JSON of the
 * last row's sort value and id.
 */

export interface KeysetOptions<Row> {
  /** Sort column (qualified if the query joins); omit to sort by id alone */
  column?: string
  /** Reads the sort value back from a returned row */
  valueOf?: (row: Row) => string | number
  direction: 'asc' | 'desc'
  limit: number
  cursor?: string | null
  idColumn?: string
}

export function encodeCursor(value: string | number | null, id: number) {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url')
}

export function decodeCursor(cursor: string): [string | number | null, number] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (parsed[0] === null || ['string', 'number'].includes(typeof parsed[0])) &&
      Number.isInteger(parsed[1])
    ) {
      return parsed as [string | number | null, number]
    }
  } catch {}
  throw fieldError('cursor', 'Invalid cursor', 'cursor')
}

/**
 * Applies the seek condition, order and limit to `query`, runs it and returns
 * the page with the cursor of the next one (null on the last page).
 */
export async function keysetPage<Row extends { id: number }>(
  query: any,
  options: KeysetOptions<Row>
): Promise<{ data: Row[]; nextCursor: string | null }> {
  const id = options.idColumn ?? 'id'
  const op = options.direction === 'asc' ? '>' : '<'
  if (options.cursor) {
    const [value, lastId] = decodeCursor(options.cursor)
    if (options.column) {
      // The redundant bound lets the planner seek straight to the cursor in
      // the (…, column, id) index; with the OR alone SQLite walks the index
      // from its start (8.6 ms instead of 0.3 ms at row 90 000).
      query.where(options.column, op === '>' ? '>=' : '<=', value)
      query.where((q: any) => {
        q.where(options.column!, op, value).orWhere((inner: any) => {
          inner.where(options.column!, value).where(id, op, lastId)
        })
      })
    } else {
      query.where(id, op, lastId)
    }
  }
  if (options.column) query.orderBy(options.column, options.direction)
  query.orderBy(id, options.direction).limit(options.limit + 1)

  const rows: Row[] = await query
  const hasMore = rows.length > options.limit
  const data = hasMore ? rows.slice(0, options.limit) : rows
  const last = data[data.length - 1]
  const nextCursor =
    hasMore && last
      ? // PostgreSQL returns bigint ids as strings
        encodeCursor(options.valueOf ? options.valueOf(last) : null, Number(last.id))
      : null
  return { data, nextCursor }
}
