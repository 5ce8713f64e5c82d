import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'

/**
 * The module isolation rule, as code: a module imports another module only
 * through that module's index.ts, and only if its manifest `depends` on it
 * or `integrates` it. Imports are read with TypeScript's pre-processor, so
 * comments and strings that merely look like imports are ignored, and
 * dynamic `import()` and `import type` count.
 */

export interface ModuleLinks {
  depends?: readonly string[]
  integrates?: readonly string[]
}

export interface IsolationViolation {
  /** The importing file, relative to the project root */
  file: string
  /** The import as written */
  specifier: string
  reason: string
}

/** Every import specifier of a .ts source or of the <script> blocks of a .svelte one. */
export function importsOf(source: string, file: string): string[] {
  const scripts = file.endsWith('.svelte')
    ? [...source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1])
    : [source]
  return scripts.flatMap((script) =>
    ts.preProcessFile(script, true, true).importedFiles.map((f) => f.fileName)
  )
}

/**
 * Which module an import reaches, and the path inside it (without
 * extension), or null when it is not a module (a package, the kernel).
 */
export function moduleTarget(
  specifier: string,
  importer: string,
  modulesRoot: string
): { module: string; path: string } | null {
  let absolute: string
  if (specifier.startsWith('#modules/')) {
    absolute = join(modulesRoot, specifier.slice('#modules/'.length))
  } else if (specifier.startsWith('.') || specifier.startsWith('/')) {
    absolute = resolve(dirname(importer), specifier)
  } else {
    return null
  }
  const inside = relative(modulesRoot, absolute)
  if (inside.startsWith('..') || inside === '') return null
  const [module, ...rest] = inside.split(sep)
  return { module, path: rest.join('/').replace(/\.(js|ts|mjs|svelte)$/, '') }
}

/** The violations in one file of module `owner`. */
export function checkSource(options: {
  owner: string
  file: string
  source: string
  modulesRoot: string
  links: ModuleLinks
  projectRoot: string
}): IsolationViolation[] {
  const { owner, file, source, modulesRoot, links, projectRoot } = options
  const allowed = new Set([...(links.depends ?? []), ...(links.integrates ?? [])])
  const violations: IsolationViolation[] = []
  for (const specifier of importsOf(source, file)) {
    const target = moduleTarget(specifier, file, modulesRoot)
    if (!target || target.module === owner) continue
    const where = relative(projectRoot, file)
    if (target.path !== 'index') {
      violations.push({
        file: where,
        specifier,
        reason: `reaches into module "${target.module}": import its index.ts only`,
      })
    }
    if (!allowed.has(target.module)) {
      violations.push({
        file: where,
        specifier,
        reason: `module "${owner}" neither depends on nor integrates "${target.module}"`,
      })
    }
  }
  return violations
}

/** Every .ts and .svelte file of a module folder, skipping node_modules and build output. */
export function moduleSourceFiles(folder: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) {
      if (!['node_modules', 'build'].includes(entry.name)) files.push(...moduleSourceFiles(path))
    } else if (/\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path)
    }
  }
  return files
}

/** Checks every module folder; `links` gives each module's manifest relations. */
export function checkModules(options: {
  modulesRoot: string
  projectRoot: string
  links: ReadonlyMap<string, ModuleLinks>
}): IsolationViolation[] {
  const violations: IsolationViolation[] = []
  for (const [owner, links] of options.links) {
    for (const file of moduleSourceFiles(join(options.modulesRoot, owner))) {
      violations.push(
        ...checkSource({
          owner,
          file,
          source: readFileSync(file, 'utf8'),
          modulesRoot: options.modulesRoot,
          links,
          projectRoot: options.projectRoot,
        })
      )
    }
  }
  return violations
}

export function formatViolation(v: IsolationViolation) {
  return `${v.file} imports '${v.specifier}': ${v.reason}`
}
