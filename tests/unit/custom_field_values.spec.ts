import { test } from '@japa/runner'
import { fromScaled, toScaled } from '#kernel/custom_fields/custom_fields'

test.group('Custom fields: exact decimals', () => {
  test('decimal text becomes a scaled integer and back, without float rounding', ({ assert }) => {
    assert.equal(toScaled('12.5', 2), 1250)
    assert.equal(toScaled('0.29', 2), 29)
    assert.equal(toScaled('-0.5', 2), -50)
    assert.equal(toScaled('99999999999.9999', 4), 999999999999999)
    assert.equal(toScaled('7', 0), 7)
    assert.equal(fromScaled(1250, 2), '12.50')
    assert.equal(fromScaled(-50, 2), '-0.50')
    assert.equal(fromScaled(5, 3), '0.005')
    assert.equal(fromScaled(999999999999999, 4), '99999999999.9999')
    assert.equal(fromScaled(7, 0), '7')
  })
})
