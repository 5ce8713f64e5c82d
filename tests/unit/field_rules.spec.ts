import { test } from '@japa/runner'
import { validateManifest } from '#kernel/modules/manifest'
import { ModuleError } from '#kernel/modules/errors'
import { Access, type RecordScope } from '#kernel/security/access'
import {
  registerFieldRule,
  fieldRule,
  hiddenFields,
  hiddenFieldNames,
  hideFields,
  visibleColumns,
} from '#kernel/security/field_rules'

const base = {
  name: 'social',
  version: '1.0.0',
  label: { fr: 'Social', en: 'HR' },
  description: { fr: 'Salariés', en: 'Employees' },
  permissions: [
    { key: 'social.employee.read', label: { fr: 'Voir', en: 'View' } },
    { key: 'social.employee.salary', label: { fr: 'Salaires', en: 'Salaries' } },
  ],
}

function refusal(assert: any, manifest: unknown): string {
  try {
    validateManifest(manifest, 'social')
  } catch (error) {
    assert.instanceOf(error, ModuleError)
    return (error as ModuleError).message
  }
  assert.fail('expected a ModuleError')
  return ''
}

function accessWith(role: string, permissions: string[]) {
  return new Access(1, 1, role, new Map(permissions.map((p) => [p, 'all' as RecordScope])), [])
}

test.group('Field rules: the manifest', () => {
  test('a rule naming a declared permission is accepted', ({ assert }) => {
    const manifest = validateManifest(
      {
        ...base,
        sensitive: {
          'social.employee': { permission: 'social.employee.salary', fields: ['salaryCents'] },
        },
      },
      'social'
    )
    assert.deepEqual(manifest.sensitive?.['social.employee'].fields, ['salaryCents'])
  })

  test('a rule naming an unknown permission is refused, naming it', ({ assert }) => {
    assert.equal(
      refusal(assert, {
        ...base,
        sensitive: { 'social.employee': { permission: 'social.employee.pay', fields: ['salary'] } },
      }),
      'Module "social": invalid manifest: "sensitive.social.employee.permission" names "social.employee.pay", which the manifest does not declare in "permissions"'
    )
    // Another module's or the kernel's permission is not the manifest's own either.
    assert.match(
      refusal(assert, {
        ...base,
        sensitive: { 'social.employee': { permission: 'kernel.company.manage', fields: ['x'] } },
      }),
      /does not declare/
    )
  })

  test('the model, the permission and the fields are checked', ({ assert }) => {
    const rule = { permission: 'social.employee.salary', fields: ['salary'] }
    assert.match(
      refusal(assert, { ...base, sensitive: { 'stock.item': rule } }),
      /"sensitive\.stock\.item" must be named "social\.<model>"/
    )
    assert.match(
      refusal(assert, { ...base, sensitive: { 'social.employee': { fields: ['salary'] } } }),
      /permission" is required/
    )
    for (const fields of [[], 'salary', ['salary', 'salary'], ['no spaces']]) {
      assert.match(
        refusal(assert, {
          ...base,
          sensitive: { 'social.employee': { ...rule, fields } },
        }),
        /sensitive\.social\.employee\.fields/
      )
    }
    assert.match(refusal(assert, { ...base, sensitive: 'salary' }), /"sensitive" must be/)
  })
})

test.group('Field rules: the helpers', (group) => {
  let unregister: () => void
  group.each.setup(() => {
    unregister = registerFieldRule('kernel.testpayslip', {
      permission: 'kernel.users.manage',
      fields: ['salaryCents', 'bonusCents'],
    })
    return () => unregister()
  })

  test('the Access object answers per field; admins and holders see everything', ({ assert }) => {
    const clerk = accessWith('staff', [])
    const payroll = accessWith('staff', ['kernel.users.manage'])
    const admin = accessWith('admin', [])
    assert.isFalse(clerk.canSeeField('kernel.testpayslip', 'salaryCents'))
    assert.isFalse(clerk.canEditField('kernel.testpayslip', 'bonusCents'))
    assert.isTrue(clerk.canSeeField('kernel.testpayslip', 'name'))
    assert.isTrue(clerk.canSeeField('kernel.nothing', 'salaryCents'))
    assert.isTrue(payroll.canSeeField('kernel.testpayslip', 'salaryCents'))
    assert.isTrue(payroll.canEditField('kernel.testpayslip', 'salaryCents'))
    assert.isTrue(admin.canSeeField('kernel.testpayslip', 'bonusCents'))
    assert.deepEqual(hiddenFields(payroll, 'kernel.testpayslip'), [])
    assert.deepEqual(hiddenFieldNames(clerk, 'kernel.testpayslip'), [
      'salaryCents',
      'salary_cents',
      'bonusCents',
      'bonus_cents',
    ])
  })

  test('hideFields strips hidden fields from a copy; visibleColumns drops CSV columns', ({
    assert,
  }) => {
    const clerk = accessWith('staff', [])
    const payroll = accessWith('staff', ['kernel.users.manage'])
    const payslip = { id: 3, name: 'Morin', salaryCents: 250_000, bonusCents: 10_000 }
    assert.deepEqual(hideFields(clerk, 'kernel.testpayslip', payslip), { id: 3, name: 'Morin' })
    assert.equal(payslip.salaryCents, 250_000, 'the original is left alone')
    assert.strictEqual(hideFields(payroll, 'kernel.testpayslip', payslip), payslip)

    const header = ['name', 'salary', 'bonusCents']
    const columns = visibleColumns(clerk, 'kernel.testpayslip', header, { salary: 'salaryCents' })
    assert.deepEqual(columns.header, ['name'])
    assert.deepEqual(columns.pick(['Morin', '2500,00', 10_000]), ['Morin'])
    const all = visibleColumns(payroll, 'kernel.testpayslip', header, { salary: 'salaryCents' })
    assert.deepEqual(all.header, header)
  })

  test('a rule registered by kernel code can be removed again', ({ assert }) => {
    assert.isNotNull(fieldRule('kernel.testpayslip'))
    unregister()
    assert.isNull(fieldRule('kernel.testpayslip'))
  })
})
