import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import registry from '#kernel/modules/registry'
import { MODULES_ROOT } from '#kernel/modules/paths'
import {
  checkModules,
  checkSource,
  formatViolation,
  importsOf,
} from '#tests/helpers/module_isolation'

const projectRoot = app.makePath()

/** Checks a synthetic file of module "billing", which depends on "contacts" only. */
function check(source: string, file = 'services/invoice.ts') {
  return checkSource({
    owner: 'billing',
    file: `${MODULES_ROOT}billing/${file}`,
    source,
    modulesRoot: MODULES_ROOT,
    links: { depends: ['contacts'], integrates: ['stock'] },
    projectRoot,
  }).map(formatViolation)
}

test.group('Module isolation', () => {
  test('no module imports another one except through its index.ts, as its manifest allows', ({
    assert,
  }) => {
    const links = new Map(
      registry.all().map((m) => [m.name, { depends: m.depends, integrates: m.integrates }])
    )
    const violations = checkModules({ modulesRoot: MODULES_ROOT, projectRoot, links })
    assert.deepEqual(
      violations.map(formatViolation),
      [],
      violations.map(formatViolation).join('\n')
    )
  })
})

test.group('Module isolation checker', () => {
  test('allows the index.ts of a module it depends on or integrates, in every spelling', ({
    assert,
  }) => {
    assert.deepEqual(
      check(`
        import { findContact } from '#modules/contacts/index'
        import type { Address } from '#modules/contacts/index.js'
        import { CONTACT_PERMISSIONS } from '../../contacts/index.js'
        const stock = () => import('#modules/stock/index')
        import Invoice from '../models/invoice.js'
        import db from '@adonisjs/lucid/services/db'
        import { can } from '#start/stacks'
      `),
      []
    )
  })

  test("catches a reach into another module's models, naming the file and the import", ({
    assert,
  }) => {
    assert.deepEqual(check(`import Contact from '#modules/contacts/models/contact'`), [
      `modules/billing/services/invoice.ts imports '#modules/contacts/models/contact': reaches into module "contacts": import its index.ts only`,
    ])
    assert.deepEqual(check(`export { Contact } from '../../contacts/models/contact.js'`), [
      `modules/billing/services/invoice.ts imports '../../contacts/models/contact.js': reaches into module "contacts": import its index.ts only`,
    ])
  })

  test('catches an import of a module the manifest does not declare', ({ assert }) => {
    assert.deepEqual(check(`const planning = await import('#modules/planning/index')`), [
      `modules/billing/services/invoice.ts imports '#modules/planning/index': module "billing" neither depends on nor integrates "planning"`,
    ])
  })

  test('reads the script blocks of Svelte pages', ({ assert }) => {
    const page = `<script lang="ts">
  import ContactForm from '../../contacts/components/ContactForm.svelte'
</script>
<p>import nothing from 'here'</p>`
    assert.deepEqual(check(page, 'pages/create.svelte'), [
      `modules/billing/pages/create.svelte imports '../../contacts/components/ContactForm.svelte': reaches into module "contacts": import its index.ts only`,
    ])
  })

  test('ignores imports written in comments and strings', ({ assert }) => {
    assert.deepEqual(
      importsOf(
        `// import x from '#modules/planning/models/x'
        const text = "import y from '#modules/planning/index'"
        import z from './z.js'`,
        'a.ts'
      ),
      ['./z.js']
    )
  })
})
