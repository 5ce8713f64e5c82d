import { test } from '@japa/runner'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

/** Every .ts file under a folder, tests excluded. */
function sources(folder: string): string[] {
  if (!existsSync(folder)) return []
  return readdirSync(folder).flatMap((entry) => {
    const path = `${folder}/${entry}`
    if (statSync(path).isDirectory()) return entry === 'tests' ? [] : sources(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** Where resources/pages.ts looks for a page: the kernel's folder, then the module's. */
function pageFiles(name: string) {
  const slash = name.indexOf('/')
  const files = [app.makePath('resources/pages', `${name}.svelte`)]
  if (slash > 0) {
    files.push(
      app.makePath('modules', name.slice(0, slash), 'pages', `${name.slice(slash + 1)}.svelte`)
    )
  }
  return files
}

/*
 * Svelte pages are not in Inertia's typed page map (config/inertia.ts), so
 * the compiler cannot catch a misspelt page name: this test does.
 */
test.group('Inertia pages', () => {
  test('every page a controller renders exists', ({ assert }) => {
    const rendered = new Map<string, string>()
    for (const file of [...sources(app.makePath('app')), ...sources(app.makePath('modules'))]) {
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(/inertia\.render\(\s*'([^'$]+)'/g)) {
        rendered.set(match[1], file.slice(app.makePath().length + 1))
      }
    }
    assert.isAbove(rendered.size, 0)
    const missing = [...rendered]
      .filter(([name]) => !pageFiles(name).some((file) => existsSync(file)))
      .map(([name, file]) => `${name} (rendered in ${file})`)
    assert.deepEqual(missing, [])
  })
})
