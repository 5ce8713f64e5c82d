import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import {
  formatNumber,
  parseFormat,
  periodKey,
  renderNumber,
  withPadding,
} from '#kernel/numbering/format'
import { validateManifest } from '#kernel/modules/manifest'

const at = DateTime.fromObject({ year: 2026, month: 3, day: 9 }, { zone: 'Europe/Paris' })

test.group('Numbering formats', () => {
  test('renders the date tokens and the padded number', ({ assert }) => {
    assert.equal(renderNumber('FA-{YYYY}-{seq:5}', 42, at), 'FA-2026-00042')
    assert.equal(renderNumber('{YY}{MM}/{seq:3}', 7, at), '2603/007')
    assert.equal(renderNumber('N{seq}', 1234, at), 'N1234')
    // Padding never cuts a longer number.
    assert.equal(renderNumber('{seq:2}', 12345, at), '12345')
    assert.equal(formatNumber('CL-', 5, 3, 2026), 'CL-00003')
    assert.equal(formatNumber('FA-{YYYY}-', 4, 3, 2027), 'FA-2027-0003')
  })

  test('period keys for each reset', ({ assert }) => {
    assert.equal(periodKey('never', at), '')
    assert.equal(periodKey('yearly', at), '2026')
    assert.equal(periodKey('monthly', at), '2026-03')
  })

  test('checks the tokens, the padding and that the period shows', ({ assert }) => {
    assert.deepEqual(parseFormat('FA-{YYYY}-{seq:5}', 'yearly'), {
      padding: 5,
      prefix: 'FA-{YYYY}-',
    })
    assert.deepEqual(parseFormat('{seq}-X'), { padding: 1, prefix: '' })
    assert.deepEqual(parseFormat('FA-'), { problem: 'seq_missing' })
    assert.deepEqual(parseFormat('{seq:2}{seq:3}'), { problem: 'seq_twice' })
    assert.deepEqual(parseFormat('{DD}{seq:3}'), { problem: 'unknown_token', token: '{DD}' })
    assert.deepEqual(parseFormat('{seq:0}'), { problem: 'padding', token: '{seq:0}' })
    assert.deepEqual(parseFormat('{seq:x}'), { problem: 'padding', token: '{seq:x}' })
    assert.deepEqual(parseFormat(`${'x'.repeat(60)}{seq}`), { problem: 'too_long' })
    assert.deepEqual(parseFormat('FA-{seq:4}', 'yearly'), { problem: 'year_missing' })
    assert.deepEqual(parseFormat('FA-{YY}-{seq:4}', 'monthly'), { problem: 'month_missing' })
    assert.deepEqual(parseFormat('FA-{YY}{MM}-{seq:4}', 'monthly'), {
      padding: 4,
      prefix: 'FA-{YY}{MM}-',
    })
    assert.equal(withPadding('FA-{seq:5}', 3), 'FA-{seq:3}')
    assert.equal(withPadding('FA-{seq}', 3), 'FA-{seq:3}')
  })

  test('a manifest with a broken series format is refused at boot, naming it', ({ assert }) => {
    const manifest = (sequences: unknown[]) => ({
      name: 'billing',
      version: '1.0.0',
      label: { fr: 'Facturation', en: 'Billing' },
      description: { fr: 'Factures', en: 'Invoices' },
      sequences,
    })
    const series = { key: 'billing.invoice', label: { fr: 'Factures', en: 'Invoices' } }
    assert.doesNotThrow(() =>
      validateManifest(
        manifest([{ ...series, format: 'FA-{YYYY}-{seq:5}', reset: 'yearly' }]),
        'billing'
      )
    )
    assert.doesNotThrow(() =>
      validateManifest(
        manifest([{ ...series, prefix: 'FA-', padding: 5, reset: 'never' }]),
        'billing'
      )
    )
    assert.throws(
      () =>
        validateManifest(
          manifest([{ ...series, format: 'FA-{seq:5}', reset: 'yearly' }]),
          'billing'
        ),
      /sequences\[0\]\.format.*must show the year/
    )
    assert.throws(
      () =>
        validateManifest(
          manifest([{ ...series, format: 'FA-{seq:5}', reset: 'weekly' }]),
          'billing'
        ),
      /sequences\[0\]\.reset/
    )
  })
})
