import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import app from '@adonisjs/core/services/app'
import env from '#start/env'

/**
 * A throwaway copy of the kernel under tmp/ (so packages still resolve from
 * the project's node_modules) whose modules/ holds only the modules a test
 * writes. The real modules/ folder is never touched.
 */
const root = app.makePath('tmp', `boot-check-${process.pid}`)
const KERNEL = ['app', 'bin', 'config', 'database', 'providers', 'start', 'resources/lang']
const FILES = ['package.json', 'adonisrc.ts', 'ace.js']

function writeModules(modules: Record<string, string>) {
  rmSync(join(root, 'modules'), { recursive: true, force: true })
  for (const [name, source] of Object.entries(modules)) {
    mkdirSync(join(root, 'modules', name), { recursive: true })
    writeFileSync(join(root, 'modules', name, 'module.ts'), source)
  }
}

function manifest(name: string, extra = '') {
  return `export default {
  name: '${name}',
  version: '1.0.0',
  label: { fr: '${name}', en: '${name}' },
  description: { fr: '${name}', en: '${name}' },
  ${extra}
}
`
}

/** Runs `node ace <argv>` in the copy; resolves with its exit code and output. */
function ace(argv: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['ace.js', ...argv], {
      cwd: root,
      env: {
        ...process.env,
        APP_KEY: env.get('APP_KEY').release(),
        NODE_ENV: 'development',
        // Its own SQLite file, whatever database the test run uses
        DB_CONNECTION: 'sqlite',
        SQLITE_FILE: 'tmp/boot.sqlite3',
        LOG_LEVEL: 'warn',
        NO_COLOR: '1',
        DEMO: 'false',
        MODULES: 'alpha',
      },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

/** Asserts the boot stopped with exit code 1 and one line: the refusal, no stack trace. */
async function assertBootRefuses(assert: any, expected: string) {
  const { code, output } = await ace(['module:list'])
  const lines = stripVTControlCharacters(output).trim().split('\n')
  assert.equal(code, 1, output)
  assert.deepEqual(lines, [`[ error ] ${expected}`])
}

test.group('Boot refusals', (group) => {
  group.each.timeout(60_000)
  group.setup(() => {
    rmSync(root, { recursive: true, force: true })
    mkdirSync(join(root, 'tmp'), { recursive: true })
    for (const entry of [...KERNEL, ...FILES]) {
      cpSync(app.makePath(entry), join(root, entry), { recursive: true })
    }
    return () => rmSync(root, { recursive: true, force: true })
  })

  test('an invalid manifest stops the boot with one line naming the module and the field', async ({
    assert,
  }) => {
    writeModules({ stock: manifest('stock').replace("'1.0.0'", "'one'") })
    await assertBootRefuses(
      assert,
      'Module "stock": invalid manifest: "version" must be a semantic version such as 1.0.0'
    )
  })

  test('a missing dependency stops the boot with one line naming both modules', async ({
    assert,
  }) => {
    writeModules({ invoicing: manifest('invoicing', "depends: ['contacts'],") })
    await assertBootRefuses(
      assert,
      'Module "invoicing" depends on "contacts", which is not installed (no modules/contacts/module.ts)'
    )
  })

  test('a dependency cycle stops the boot with one line naming the cycle', async ({ assert }) => {
    writeModules({
      alpha: manifest('alpha', "depends: ['beta'],"),
      beta: manifest('beta', "depends: ['alpha'],"),
    })
    await assertBootRefuses(assert, 'Module dependency cycle: alpha -> beta -> alpha')
  })

  test('a sound set of modules boots; module:list --json prints their states alone', async ({
    assert,
  }) => {
    writeModules({ alpha: manifest('alpha'), beta: manifest('beta', "depends: ['alpha'],") })
    const prepare = await ace(['app:prepare'])
    assert.equal(prepare.code, 0, prepare.output)
    const list = await ace(['module:list', '--json'])
    assert.equal(list.code, 0, list.output)
    assert.deepEqual(
      JSON.parse(list.output).map((m: { name: string; state: string }) => [m.name, m.state]),
      [
        ['alpha', 'enabled'],
        ['beta', 'not_installed'],
      ]
    )
  })
})
