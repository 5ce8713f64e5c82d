import { test } from '@japa/runner'
import { ModuleRegistry } from '#kernel/modules/registry'
import { validateManifest } from '#kernel/modules/manifest'
import { ModuleError } from '#kernel/modules/errors'
import type { ModuleManifest } from '#kernel/modules/define_module'

function manifest(name: string, extra: Partial<ModuleManifest> = {}): ModuleManifest {
  return {
    name,
    version: '1.0.0',
    label: { fr: name, en: name },
    description: { fr: `Module ${name}`, en: `${name} module` },
    ...extra,
  }
}

/** The one-line message of the ModuleError `action` throws. */
function refusal(assert: any, action: () => unknown): string {
  try {
    action()
  } catch (error) {
    assert.instanceOf(error, ModuleError)
    const message = (error as ModuleError).message
    assert.notInclude(message, '\n', 'a refusal is one line')
    return message
  }
  assert.fail('expected a ModuleError')
  return ''
}

test.group('Module manifests and dependency order', () => {
  test('a missing dependency names both modules', ({ assert }) => {
    const message = refusal(assert, () =>
      new ModuleRegistry().load([manifest('invoicing', { depends: ['contacts'] })])
    )
    assert.equal(
      message,
      'Module "invoicing" depends on "contacts", which is not installed (no modules/contacts/module.ts)'
    )
  })

  test('a dependency cycle is named, module by module', ({ assert }) => {
    const message = refusal(assert, () =>
      new ModuleRegistry().load([
        manifest('alpha', { depends: ['gamma'] }),
        manifest('beta', { depends: ['alpha'] }),
        manifest('gamma', { depends: ['beta'] }),
      ])
    )
    assert.equal(message, 'Module dependency cycle: alpha -> gamma -> beta -> alpha')
  })

  test('a duplicate module name is refused', ({ assert }) => {
    const message = refusal(assert, () =>
      new ModuleRegistry().load([manifest('stock'), manifest('stock')])
    )
    assert.equal(message, 'Module "stock" is declared twice')
  })

  test('an invalid manifest names the module and the field', ({ assert }) => {
    assert.equal(
      refusal(assert, () => validateManifest(manifest('stock', { version: 'one' }), 'stock')),
      'Module "stock": invalid manifest: "version" must be a semantic version such as 1.0.0'
    )
    assert.equal(
      refusal(assert, () =>
        validateManifest(
          manifest('stock', {
            permissions: [{ key: 'stock.item.read', label: { fr: 'Voir', en: 'View' } }],
            menu: [
              {
                key: 'stock',
                label: { fr: 'Stock', en: 'Stock' },
                href: 'stock',
                permission: 'stock.item.read',
              },
            ],
          }),
          'stock'
        )
      ),
      'Module "stock": invalid manifest: "menu[0].href" must be a path starting with /'
    )
    assert.equal(
      refusal(assert, () =>
        validateManifest(
          manifest('stock', {
            permissions: [{ key: 'contacts.item.read', label: { fr: 'Voir', en: 'View' } }],
          }),
          'stock'
        )
      ),
      'Module "stock": invalid manifest: "permissions[0].key" must start with the module name "stock."'
    )
    assert.equal(
      refusal(assert, () => validateManifest(manifest('stock'), 'inventory')),
      'Module "inventory": invalid manifest: "name" is "stock" but the module folder is "inventory": they must match'
    )
  })

  test('a valid set loads with dependencies first', ({ assert }) => {
    const registry = new ModuleRegistry()
    registry.load([
      manifest('invoicing', { depends: ['contacts', 'stock'] }),
      manifest('stock', { depends: ['contacts'] }),
      manifest('contacts'),
    ])
    assert.deepEqual(
      registry.all().map((m) => m.name),
      ['contacts', 'stock', 'invoicing']
    )
    assert.deepEqual(
      registry.withDependencies('invoicing').map((m) => m.name),
      ['contacts', 'stock', 'invoicing']
    )
  })
})

test.group('Module manifest: attachments', () => {
  const base = (attachments: any) =>
    manifest('docs', {
      permissions: [
        { key: 'docs.doc.read', label: { fr: 'Lire', en: 'Read' } },
        { key: 'docs.doc.update', label: { fr: 'Modifier', en: 'Edit' } },
      ],
      records: [{ model: 'docs.doc', table: 'docs', permission: 'docs.doc.read' }],
      attachments,
    })

  test('accepts a declared record with declared permissions, types and limit', ({ assert }) => {
    const valid = validateManifest(
      base({
        'docs.doc': {
          writePermission: 'docs.doc.update',
          maxBytes: 1024,
          types: ['application/pdf'],
          encrypt: true,
        },
      }),
      'docs'
    )
    assert.equal(valid.attachments!['docs.doc'].maxBytes, 1024)
  })

  test('refuses unknown records, permissions, types and limits, naming the field', ({ assert }) => {
    const cases: [any, string][] = [
      [{ 'docs.other': { writePermission: 'docs.doc.update' } }, 'attachments.docs.other'],
      [{ 'docs.doc': { writePermission: 'docs.doc.delete' } }, 'writePermission'],
      [
        { 'docs.doc': { writePermission: 'docs.doc.update', permission: 'x.y.z' } },
        'attachments.docs.doc.permission',
      ],
      [
        { 'docs.doc': { writePermission: 'docs.doc.update', types: ['application/x-msdownload'] } },
        'attachments.docs.doc.types',
      ],
      [
        { 'docs.doc': { writePermission: 'docs.doc.update', maxBytes: 100 * 1024 * 1024 } },
        'attachments.docs.doc.maxBytes',
      ],
    ]
    for (const [attachments, field] of cases) {
      assert.include(
        refusal(assert, () => validateManifest(base(attachments), 'docs')),
        field
      )
    }
  })
})

test.group('Module manifest: imports', () => {
  const declaration = (extra: any = {}) => ({
    label: { fr: 'Articles', en: 'Items' },
    permission: 'stock.item.import',
    createPermission: 'stock.item.create',
    updatePermission: 'stock.item.update',
    keys: [{ field: 'ref', mustExist: true }],
    fields: [
      { key: 'ref', label: { fr: 'Réf.', en: 'Ref.' }, type: 'text' },
      { key: 'unit', label: { fr: 'Unité', en: 'Unit' }, type: 'enum', options: ['u', 'm2'] },
    ],
    load: async () => ({ default: { apply: async () => {} } }),
    ...extra,
  })
  const base = (imports: any) =>
    manifest('stock', {
      permissions: ['read', 'create', 'update', 'import'].map((action) => ({
        key: `stock.item.${action}`,
        label: { fr: action, en: action },
      })),
      imports,
    })

  test('accepts a declaration with declared permissions, typed fields and keys', ({ assert }) => {
    const valid = validateManifest(base({ 'stock.items': declaration() }), 'stock')
    assert.equal(valid.imports!['stock.items'].fields.length, 2)
  })

  test('refuses bad names, permissions, fields, keys and loaders, naming the field', ({
    assert,
  }) => {
    const cases: [any, string][] = [
      [{ 'other.items': declaration() }, 'imports.other.items'],
      [{ 'stock.items': declaration({ permission: 'stock.item.delete' }) }, 'permission'],
      [
        { 'stock.items': declaration({ updatePermission: 'x.y.z' }) },
        'imports.stock.items.updatePermission',
      ],
      [{ 'stock.items': declaration({ fields: [] }) }, 'imports.stock.items.fields'],
      [
        {
          'stock.items': declaration({
            fields: [{ key: 'ref', label: { fr: 'R', en: 'R' }, type: 'varchar' }],
          }),
        },
        'imports.stock.items.fields[0].type',
      ],
      [
        {
          'stock.items': declaration({
            fields: [{ key: 'u', label: { fr: 'U', en: 'U' }, type: 'enum' }],
          }),
        },
        'imports.stock.items.fields[0].options',
      ],
      [
        { 'stock.items': declaration({ keys: [{ field: 'ean' }] }) },
        'imports.stock.items.keys[0].field',
      ],
      [{ 'stock.items': declaration({ load: 'articles.js' }) }, 'imports.stock.items.load'],
    ]
    for (const [imports, field] of cases) {
      assert.include(
        refusal(assert, () => validateManifest(base(imports), 'stock')),
        field
      )
    }
  })
})
