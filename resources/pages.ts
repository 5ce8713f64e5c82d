/**
 * Page names: kernel pages are '<path>' under resources/pages, module pages
 * are '<module>/<page>' under modules/<module>/pages. A module page wins over a
 * kernel page of the same path only if no kernel page exists.
 */
export async function resolvePage(name: string, pages: Record<string, any>) {
  const kernel = `./pages/${name}.svelte`
  const slash = name.indexOf('/')
  const module =
    slash > 0 ? `../modules/${name.slice(0, slash)}/pages/${name.slice(slash + 1)}.svelte` : ''
  const found = pages[kernel] ?? (module ? pages[module] : undefined)
  if (!found) throw new Error(`Page not found: ${name}`)
  return typeof found === 'function' ? await found() : found
}
