import { test } from '@japa/runner'
import {
  isValidSiren,
  isValidSiret,
  isValidVatNumber,
  frVatKey,
  luhnValid,
} from '#kernel/validation/french_ids'

test.group('French company identifiers', () => {
  test('Luhn check digit', ({ assert }) => {
    assert.isTrue(luhnValid('732829320'))
    assert.isFalse(luhnValid('732829321'))
  })

  test('SIREN: 9 digits with a Luhn key', ({ assert }) => {
    assert.isTrue(isValidSiren('732829320'))
    assert.isTrue(isValidSiren('552100554'))
    assert.isFalse(isValidSiren('732829321'))
    assert.isFalse(isValidSiren('73282932'))
    assert.isFalse(isValidSiren('7328293200'))
    assert.isFalse(isValidSiren('73282932A'))
  })

  test('SIRET: 14 digits with a Luhn key, La Poste by digit sum', ({ assert }) => {
    assert.isTrue(isValidSiret('73282932000074'))
    assert.isFalse(isValidSiret('73282932000075'))
    assert.isFalse(isValidSiret('7328293200007'))
    // La Poste establishments: digits sum to a multiple of 5, not Luhn
    assert.isTrue(isValidSiret('35600000000048'))
    assert.isTrue(isValidSiret('35600000049837'))
    assert.isFalse(isValidSiret('35600000049838'))
  })

  test('FR VAT number: key = (12 + 3 × (SIREN mod 97)) mod 97', ({ assert }) => {
    assert.equal(frVatKey('732829320'), 44)
    assert.isTrue(isValidVatNumber('FR44732829320'))
    assert.isFalse(isValidVatNumber('FR45732829320'))
    assert.isFalse(isValidVatNumber('FR4473282932'))
    assert.isTrue(isValidVatNumber('DE123456789'))
    assert.isFalse(isValidVatNumber('XX123'))
  })
})
