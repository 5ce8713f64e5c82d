import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import { Secret } from '@adonisjs/core/helpers'
import type { BaseCommand } from '@adonisjs/core/ace'
import User from '#models/user'
import UserCreate from '../../app/commands/user_create.js'
import TokenCreate from '../../app/commands/token_create.js'
import { companyWithUser } from '#tests/helpers/fixtures'

async function run(Command: typeof BaseCommand, argv: string[]) {
  const command = await ace.create(Command as any, argv)
  // The raw logger is shared by every command: keep this one's lines only.
  command.ui.logger.flushLogs()
  await command.exec()
  const logs = command.ui.logger.getLogs() as { message: string; stream: string }[]
  return {
    command,
    stdout: logs.filter((l) => l.stream === 'stdout').map((l) => l.message),
    stderr: logs.filter((l) => l.stream === 'stderr').map((l) => l.message),
  }
}

/** Asserts one error line and exit code 1; returns the line without its prefix. */
function refusal(assert: any, result: Awaited<ReturnType<typeof run>>) {
  result.command.assertFailed()
  assert.lengthOf(result.stderr, 1, result.stderr.join('\n'))
  return result.stderr[0].replace(/^\[ red\(error\) \] /, '')
}

let sequence = 0
function email() {
  sequence += 1
  return `cli-${Date.now().toString(36)}-${sequence}@test.charpente.fr`
}

async function roleOf(userId: number, companyId: number) {
  const row = await db
    .from('company_users')
    .join('roles', 'roles.id', 'company_users.role_id')
    .where({ 'company_users.user_id': userId, 'company_users.company_id': companyId })
    .select('roles.key')
    .first()
  return row?.key ?? null
}

test.group('user:create', (group) => {
  // Each user costs a scrypt hash at the production cost.
  group.each.timeout(30_000)
  group.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('creates the user and their membership, with the role, in the company given by id', async ({
    assert,
  }) => {
    const { company } = await companyWithUser('admin')
    const address = email()
    const result = await run(UserCreate, [
      `--email=${address.toUpperCase()}`,
      '--password=a good passphrase',
      '--role=technician',
      `--company=${company.id}`,
      '--name=Yann Briand',
    ])
    result.command.assertSucceeded()
    const user = await User.verifyCredentials(address, 'a good passphrase')
    assert.equal(user.email, address)
    assert.equal(user.fullName, 'Yann Briand')
    assert.equal(user.currentCompanyId, company.id)
    assert.equal(await roleOf(user.id, company.id), 'technician')
  })

  test('finds the company by name too', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    const address = email()
    const result = await run(UserCreate, [
      `--email=${address}`,
      '--password=a good passphrase',
      '--role=staff',
      `--company=${company.name.toUpperCase()}`,
    ])
    result.command.assertSucceeded()
    const user = await User.findByOrFail('email', address)
    assert.equal(await roleOf(user.id, company.id), 'staff')
  })

  test('refuses an email that is taken, in one line, creating nothing', async ({ assert }) => {
    const { company, user } = await companyWithUser('staff')
    const before = await db.from('users').count('* as total')
    const message = refusal(
      assert,
      await run(UserCreate, [
        `--email=${user.email}`,
        '--password=a good passphrase',
        '--role=staff',
        `--company=${company.id}`,
      ])
    )
    assert.equal(message, `A user with email "${user.email}" already exists`)
    const after = await db.from('users').count('* as total')
    assert.equal(Number(after[0].total), Number(before[0].total))
  })

  test('refuses an unknown role, listing the roles', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    const message = refusal(
      assert,
      await run(UserCreate, [
        `--email=${email()}`,
        '--password=a good passphrase',
        '--role=boss',
        `--company=${company.id}`,
      ])
    )
    assert.equal(message, 'Unknown role "boss" (roles: admin, client, manager, staff, technician)')
  })

  test('refuses a password shorter than 8 or longer than 128 characters', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    for (const [password, length] of [
      ['seven77', 7],
      ['x'.repeat(129), 129],
    ] as const) {
      const message = refusal(
        assert,
        await run(UserCreate, [
          `--email=${email()}`,
          `--password=${password}`,
          '--role=staff',
          `--company=${company.id}`,
        ])
      )
      assert.equal(message, `The password must be 8 to 128 characters long (it has ${length})`)
    }
    // 128 characters, and not one character repeated (a trivial pattern, refused).
    const longest = 'roof slates and oak beams '.repeat(5).slice(0, 128)
    assert.lengthOf(longest, 128)
    const accepted = await run(UserCreate, [
      `--email=${email()}`,
      `--password=${longest}`,
      '--role=staff',
      `--company=${company.id}`,
    ])
    accepted.command.assertSucceeded()
  })

  test('refuses a common password and one that contains the email', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    for (const password of ['password123', 'AZERTY123', 'aaaaaaaaaa', '12341234']) {
      const address = email()
      const message = refusal(
        assert,
        await run(UserCreate, [
          `--email=${address}`,
          `--password=${password}`,
          '--role=staff',
          `--company=${company.id}`,
        ])
      )
      assert.match(message, /too common/, password)
      assert.isNull(await User.findBy('email', address), `${password}: no user created`)
    }
    const address = email()
    const local = address.split('@')[0]
    const message = refusal(
      assert,
      await run(UserCreate, [
        `--email=${address}`,
        `--password=${local}-2026!`,
        '--role=staff',
        `--company=${company.id}`,
      ])
    )
    assert.equal(message, 'The password must not contain the email address')
    assert.isNull(await User.findBy('email', address))
  })

  test('refuses an invalid email and an unknown company', async ({ assert }) => {
    const { company } = await companyWithUser('admin')
    assert.equal(
      refusal(
        assert,
        await run(UserCreate, [
          '--email=not-an-email',
          '--password=a good passphrase',
          '--role=staff',
          `--company=${company.id}`,
        ])
      ),
      'Invalid email "not-an-email"'
    )
    assert.match(
      refusal(
        assert,
        await run(UserCreate, [
          `--email=${email()}`,
          '--password=a good passphrase',
          '--role=staff',
          '--company=No Such Company',
        ])
      ),
      /^Unknown company "No Such Company" \(companies: #\d+ /
    )
  })

  test('asks for --company when the site has several companies', async ({ assert }) => {
    await companyWithUser('admin')
    await companyWithUser('admin')
    assert.match(
      refusal(
        assert,
        await run(UserCreate, [
          `--email=${email()}`,
          '--password=a good passphrase',
          '--role=staff',
        ])
      ),
      /^Several companies exist: pass --company <id or name> \(#\d+ /
    )
  })
})

test.group('token:create', (group) => {
  group.each.timeout(30_000)
  group.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('prints a working token alone on the last line', async ({ assert }) => {
    const { user } = await companyWithUser('staff')
    const result = await run(TokenCreate, [`--email=${user.email}`, '--name=ci'])
    result.command.assertSucceeded()
    const token = result.stdout[result.stdout.length - 1]
    assert.match(token, /^cpt_\S+$/)
    const verified = await User.accessTokens.verify(new Secret(token))
    assert.equal(verified?.tokenableId, user.id)
    assert.equal(verified?.name, 'ci')
    // By default: all the user's permissions, for 90 days.
    assert.deepEqual(verified?.abilities, ['*'])
    const days = (verified!.expiresAt!.getTime() - Date.now()) / 86_400_000
    assert.approximately(days, 90, 0.01)
  })

  test('takes a name, abilities and a lifetime; the token is restricted to them', async ({
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    const result = await run(TokenCreate, [
      `--email=${user.email}`,
      '--name=lecture',
      '--abilities=contacts.contact.read, contacts.contact.export',
      '--expires-in=30d',
    ])
    result.command.assertSucceeded()
    const verified = await User.accessTokens.verify(
      new Secret(result.stdout[result.stdout.length - 1])
    )
    assert.equal(verified?.name, 'lecture')
    assert.deepEqual(verified?.abilities, ['contacts.contact.export', 'contacts.contact.read'])
    const days = (verified!.expiresAt!.getTime() - Date.now()) / 86_400_000
    assert.approximately(days, 30, 0.01)

    // Without --name, each token gets its own.
    const first = await run(TokenCreate, [`--email=${user.email}`])
    const second = await run(TokenCreate, [`--email=${user.email}`])
    first.command.assertSucceeded()
    second.command.assertSucceeded()
    const names = await db
      .from('auth_access_tokens')
      .where('tokenable_id', user.id)
      .whereLike('name', 'cli %')
      .select('name')
    assert.lengthOf(new Set(names.map((row) => row.name)), 2)

    const audit = await db
      .from('audit_logs')
      .where({
        event: 'token.created',
        model: 'kernel.token',
        record_id: String(verified!.identifier),
      })
      .first()
    assert.include(JSON.parse(audit.meta), { by: 'cli' })
  })

  test('refuses a taken name, permissions the user lacks and a bad lifetime, creating nothing', async ({
    assert,
  }) => {
    const { user } = await companyWithUser('staff')
    ;(await run(TokenCreate, [`--email=${user.email}`, '--name=ci'])).command.assertSucceeded()
    assert.equal(
      refusal(assert, await run(TokenCreate, [`--email=${user.email}`, '--name=CI'])),
      '--name: You already have a token with this name'
    )
    assert.equal(
      refusal(
        assert,
        await run(TokenCreate, [`--email=${user.email}`, '--abilities=kernel.users.manage'])
      ),
      '--abilities: Permissions you do not hold: kernel.users.manage'
    )
    for (const lifetime of ['400', '0', 'soon']) {
      assert.match(
        refusal(
          assert,
          await run(TokenCreate, [`--email=${user.email}`, `--expires-in=${lifetime}`])
        ),
        /^--expires-in/
      )
    }
    const tokens = await db.from('auth_access_tokens').where('tokenable_id', user.id)
    assert.lengthOf(tokens, 1)
  })

  test('refuses an unknown email and a disabled user', async ({ assert }) => {
    assert.equal(
      refusal(assert, await run(TokenCreate, ['--email=nobody@test.charpente.fr'])),
      'No user with email "nobody@test.charpente.fr"'
    )
    const { user } = await companyWithUser('staff')
    user.isActive = false
    await user.save()
    assert.equal(
      refusal(assert, await run(TokenCreate, [`--email=${user.email}`])),
      `User "${user.email}" is disabled`
    )
  })
})
