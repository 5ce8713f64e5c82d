import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import {
  commonPasswords,
  isCommonPassword,
  containsEmail,
  passwordProblem,
} from '#kernel/security/passwords'
import { setupValidator } from '#validators/auth'

test.group('Password policy', () => {
  test('the bundled list is loaded once, lower-cased, passwords of 8+ characters', async ({
    assert,
  }) => {
    const list = await commonPasswords()
    assert.strictEqual(await commonPasswords(), list)
    assert.isAbove(list.size, 10_000)
    for (const entry of list) {
      assert.equal(entry, entry.toLowerCase())
      assert.isAtLeast(entry.length, 8)
    }
    for (const known of ['password', '12345678', 'iloveyou', 'azerty123', 'motdepasse']) {
      assert.isTrue(list.has(known), known)
    }
  })

  test('common passwords are found whatever their case; others pass', async ({ assert }) => {
    for (const password of ['PASSWORD123', 'Password1', 'AzErTy123', 'sunshine', 'MotDePasse']) {
      assert.isTrue(await isCommonPassword(password), password)
    }
    for (const password of ['slate roofs under the rain', 'Kerouac-toitures-1987', 'é€ñ✓✓✓✓✓']) {
      assert.isFalse(await isCommonPassword(password), password)
    }
  })

  test('trivial patterns count as common', async ({ assert }) => {
    for (const password of [
      'aaaaaaaa',
      '00000000',
      '12341234',
      'abcabcabc',
      'abcdefghij',
      '987654321',
    ]) {
      assert.isTrue(await isCommonPassword(password), password)
    }
    for (const password of ['abcdefgz', '12345679x', 'aaaaaaab']) {
      assert.isFalse(await isCommonPassword(password), password)
    }
  })

  test('the email, or its local part from 3 characters, may not be in the password', ({
    assert,
  }) => {
    assert.isTrue(containsEmail('Anna@Kerouac.fr', 'anna@kerouac.fr'))
    assert.isTrue(containsEmail('my-ANNA-password', 'anna@kerouac.fr'))
    assert.isFalse(containsEmail('kerouac roofing 1987', 'anna@kerouac.fr'))
    // A one- or two-letter local part would refuse half the dictionary.
    assert.isFalse(containsEmail('a long passphrase', 'a@kerouac.fr'))
    assert.isTrue(containsEmail('a@kerouac.fr', 'a@kerouac.fr'))
    assert.isFalse(containsEmail('anything at all', null))
  })

  test('passwordProblem names the first reason', async ({ assert }) => {
    assert.equal(await passwordProblem('password123'), 'commonPassword')
    assert.equal(await passwordProblem('anna1234', 'anna@x.fr'), 'passwordContainsEmail')
    assert.isNull(await passwordProblem('slate roofs under the rain', 'anna@x.fr'))
  })

  test('the setup validator applies the policy with the email typed in the form', async ({
    assert,
  }) => {
    const form = {
      companyName: 'Toitures',
      fullName: 'Anna Kerouac',
      email: 'anna.kerouac@example.fr',
    }
    const rules = async (password: string) => {
      const [error] = await setupValidator.tryValidate({
        ...form,
        password,
        passwordConfirmation: password,
      })
      return ((error as any)?.messages ?? []).map((m: any) => `${m.field}:${m.rule}`)
    }
    assert.deepEqual(await rules('qwerty123'), ['password:commonPassword'])
    assert.deepEqual(await rules('anna.kerouac-2026'), ['password:passwordContainsEmail'])
    assert.deepEqual(await rules('short'), ['password:minLength'])
    assert.deepEqual(await rules('x'.repeat(129)), ['password:maxLength'])
    assert.deepEqual(await rules('slate roofs under the rain'), [])
    // 128 characters are accepted.
    assert.deepEqual(await rules('slate roofs under the rain '.repeat(5).slice(0, 128)), [])
  })
})

test.group('Password hashing', () => {
  test('scrypt at N >= 2^17, r >= 8, p >= 1 (OWASP ASVS 5.0)', async ({ assert }) => {
    const hashed = await hash.make('slate roofs under the rain')
    const match = /^\$scrypt\$n=(\d+),r=(\d+),p=(\d+)\$/.exec(hashed)
    assert.isNotNull(match, hashed)
    const [, n, r, p] = match!.map(Number)
    assert.isAtLeast(n, 2 ** 17)
    assert.isAtLeast(r, 8)
    assert.isAtLeast(p, 1)
    assert.isTrue(await hash.verify(hashed, 'slate roofs under the rain'))
  }).timeout(30_000)
})
