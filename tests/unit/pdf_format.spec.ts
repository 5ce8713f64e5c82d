import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import {
  formatCompanyId,
  formatDate,
  formatMoney,
  formatNumber,
  formatPercent,
  formatQuantity,
  PdfInputError,
} from '#kernel/pdf/format'

const NBSP = '\u00a0'

test.group('PDF formats', () => {
  test('money from integer cents, in French and English', ({ assert }) => {
    assert.equal(formatMoney(123_450), `1${NBSP}234,50${NBSP}€`)
    assert.equal(formatMoney(-5), `-0,05${NBSP}€`)
    assert.equal(formatMoney(100_000_000_00), `100${NBSP}000${NBSP}000,00${NBSP}€`)
    assert.equal(formatMoney(123_450, 'en'), '€1,234.50')
    // The font has no narrow no-break space: none is ever printed.
    assert.notInclude(formatMoney(123_450) + formatNumber(1234.5), '\u202f')
    assert.throws(() => formatMoney(12.5), PdfInputError)
  })

  test('numbers, quantities in thousandths and rates', ({ assert }) => {
    assert.equal(formatNumber(1234.567), `1${NBSP}234,57`)
    assert.equal(formatNumber(2, 'fr', 2), '2,00')
    assert.equal(formatQuantity(1500), '1,5')
    assert.equal(formatQuantity(12_345_678), `12${NBSP}345,678`)
    assert.equal(formatQuantity(1500, 'en'), '1.5')
    assert.equal(formatPercent(20), `20${NBSP}%`)
    assert.equal(formatPercent(5.5), `5,5${NBSP}%`)
    assert.throws(() => formatQuantity(1.5), PdfInputError)
    assert.throws(() => formatNumber(Number.NaN), PdfInputError)
  })

  test('dates: calendar dates as given, instants in the company time zone', ({ assert }) => {
    assert.equal(formatDate('2026-11-22'), '22/11/2026')
    // 23:30 UTC on the 21st is already the 22nd in Paris, still the 21st in New York.
    const late = '2026-11-21T23:30:00Z'
    assert.equal(formatDate(late, 'Europe/Paris'), '22/11/2026')
    assert.equal(formatDate(new Date(late), 'America/New_York'), '21/11/2026')
    assert.equal(formatDate(DateTime.fromISO(late), 'Europe/Paris'), '22/11/2026')
    assert.throws(() => formatDate('22/11/2026'), PdfInputError)
  })

  test('SIREN and SIRET are grouped as printed', ({ assert }) => {
    assert.equal(formatCompanyId('732829320'), '732 829 320')
    assert.equal(formatCompanyId('73282932000074'), '732 829 320 00074')
    assert.equal(formatCompanyId('ABC'), 'ABC')
  })
})
