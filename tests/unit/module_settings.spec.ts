import { test } from '@japa/runner'
import { errors } from '@vinejs/vine'
import { validateManifest } from '#kernel/modules/manifest'
import { ModuleError } from '#kernel/modules/errors'
import { setting, settingsValidator, storedValue } from '#kernel/settings/define'
import { describeSettings } from '#kernel/settings/settings'

const label = (text: string) => ({ fr: `${text} (fr)`, en: text })

const FIELDS = {
  blindCount: setting.boolean({ label: label('Blind counts'), default: false }),
  reminderDays: setting.integer({
    label: label('Reminder'),
    unit: { fr: 'jours', en: 'days' },
    min: 1,
    max: 90,
    default: 7,
  }),
  footer: setting.text({ label: label('Footer'), maxLength: 20, default: '' }),
  rounding: setting.choice({
    label: label('Rounding'),
    options: [
      { value: 'line', label: label('Per line') },
      { value: 'total', label: label('On the total') },
    ],
    default: 'line',
  }),
}

function manifest(settings: unknown) {
  return {
    name: 'settingsfix',
    version: '1.0.0',
    label: label('Fixture'),
    description: label('Fixture'),
    permissions: [{ key: 'settingsfix.settings.manage', label: label('Manage') }],
    settings,
  }
}

async function refusals(values: Record<string, unknown>) {
  try {
    await settingsValidator({ permission: 'x', fields: FIELDS }).validate(values)
    return []
  } catch (error) {
    if (!(error instanceof errors.E_VALIDATION_ERROR)) throw error
    return (error.messages as { field: string; rule: string }[]).map((m) => [m.field, m.rule])
  }
}

test.group('Module settings: declaration', () => {
  test('a manifest with settings of every type is accepted', ({ assert }) => {
    const checked = validateManifest(
      manifest({ permission: 'settingsfix.settings.manage', fields: FIELDS }),
      'settingsfix'
    )
    assert.deepEqual(Object.keys(checked.settings!.fields), [
      'blindCount',
      'reminderDays',
      'footer',
      'rounding',
    ])
  })

  test('a bad declaration is refused, naming the field and why', ({ assert }) => {
    const cases: [unknown, string][] = [
      [
        { permission: 'settingsfix.other.manage', fields: FIELDS },
        '"settings.permission" names "settingsfix.other.manage", which the manifest does not declare',
      ],
      [{ permission: 'settingsfix.settings.manage', fields: {} }, '"settings.fields" must declare'],
      [
        { permission: 'settingsfix.settings.manage', fields: { Bad_name: FIELDS.blindCount } },
        '"settings.fields.Bad_name" must be named in camelCase',
      ],
      [
        {
          permission: 'settingsfix.settings.manage',
          fields: { days: { ...FIELDS.reminderDays, default: 120 } },
        },
        '"settings.fields.days.default" must be an integer between min and max',
      ],
      [
        {
          permission: 'settingsfix.settings.manage',
          fields: { rounding: { ...FIELDS.rounding, default: 'none' } },
        },
        '"settings.fields.rounding.default" must be one of the options',
      ],
      [
        {
          permission: 'settingsfix.settings.manage',
          fields: { flag: { type: 'switch', label: label('x'), default: true } },
        },
        '"settings.fields.flag.type" must be boolean, integer, text or choice',
      ],
      [
        {
          permission: 'settingsfix.settings.manage',
          fields: { flag: { type: 'boolean', label: 'Flag', default: true } },
        },
        '"settings.fields.flag.label" must be { fr, en }',
      ],
    ]
    for (const [settings, message] of cases) {
      let refusal: unknown = null
      try {
        validateManifest(manifest(settings), 'settingsfix')
      } catch (error) {
        refusal = error
      }
      assert.instanceOf(refusal, ModuleError, message)
      assert.include((refusal as Error).message, message)
    }
  })

  test('writes are validated field by field, every field optional', async ({ assert }) => {
    assert.deepEqual(await refusals({}), [])
    assert.deepEqual(await refusals({ reminderDays: 30, rounding: 'total' }), [])
    assert.deepEqual(await refusals({ blindCount: 'yes' }), [['blindCount', 'boolean']])
    assert.deepEqual(await refusals({ reminderDays: 0 }), [['reminderDays', 'min']])
    assert.deepEqual(await refusals({ reminderDays: 91 }), [['reminderDays', 'max']])
    assert.deepEqual(await refusals({ reminderDays: 2.5 }), [['reminderDays', 'withoutDecimals']])
    assert.deepEqual(await refusals({ footer: 'x'.repeat(21) }), [['footer', 'maxLength']])
    assert.deepEqual(await refusals({ rounding: 'none' }), [['rounding', 'in']])
  })

  test('a stored value no longer valid for its field reads as the default', ({ assert }) => {
    assert.equal(storedValue(FIELDS.reminderDays, 120), 7)
    assert.equal(storedValue(FIELDS.reminderDays, 30), 30)
    assert.equal(storedValue(FIELDS.rounding, 'removed'), 'line')
    assert.equal(storedValue(FIELDS.blindCount, 'true'), false)
    assert.equal(storedValue(FIELDS.footer, 'x'.repeat(25)), '')
  })

  test('fields are described in the reader’s language for the page and the API', ({ assert }) => {
    const [, days, , rounding] = describeSettings({ permission: 'x', fields: FIELDS }, 'fr')
    assert.deepInclude(days, {
      key: 'reminderDays',
      type: 'integer',
      label: 'Reminder (fr)',
      unit: 'jours',
      min: 1,
      max: 90,
      default: 7,
    })
    assert.deepEqual(rounding.options, [
      { value: 'line', label: 'Per line (fr)' },
      { value: 'total', label: 'On the total (fr)' },
    ])
  })
})
