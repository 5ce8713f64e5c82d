/**
 * Lower-case, accent-free form of a text, so "Éléonore" is found by
 * "eleonore" on every database (SQLite has no unaccent).
 */
export function normalize(text: string | null | undefined) {
  return (text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** Escapes LIKE wildcards in user input. */
export function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
