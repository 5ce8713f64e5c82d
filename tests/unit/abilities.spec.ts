import { test } from '@japa/runner'
import { Access, type RecordScope } from '#kernel/security/access'
import { bouncerFor } from '#kernel/security/abilities'

const READ = 'contacts.contact.read'
const UPDATE = 'contacts.contact.update'

function accessWith(grants: Record<string, RecordScope>, role = 'custom', teams: number[] = []) {
  return new Access(7, 1, role, new Map(Object.entries(grants)), teams)
}
const record = (ownerId: number | null, teamId: number | null = null, companyId = 1) => ({
  companyId,
  ownerId,
  teamId,
})

test.group('Bouncer abilities from the security model', () => {
  test('a permission without a record: granted or not', async ({ assert }) => {
    const bouncer = bouncerFor(accessWith({ [READ]: 'own' }))
    assert.isTrue(await bouncer.allows('permission', READ))
    assert.isFalse(await bouncer.allows('permission', UPDATE))
  })

  test('with a record: the scope decides, never across companies', async ({ assert }) => {
    const own = bouncerFor(accessWith({ [UPDATE]: 'own' }))
    assert.isTrue(await own.allows('permission', UPDATE, record(7)))
    assert.isFalse(await own.allows('permission', UPDATE, record(8)))

    const team = bouncerFor(accessWith({ [UPDATE]: 'team' }, 'custom', [3]))
    assert.isTrue(await team.allows('permission', UPDATE, record(8, 3)))
    assert.isFalse(await team.allows('permission', UPDATE, record(8, 4)))

    const all = bouncerFor(accessWith({ [UPDATE]: 'all' }))
    assert.isTrue(await all.allows('permission', UPDATE, record(null)))
    assert.isFalse(await all.allows('permission', UPDATE, record(7, null, 2)))

    const admin = bouncerFor(accessWith({}, 'admin'))
    assert.isTrue(await admin.allows('permission', UPDATE, record(8)))
    assert.isFalse(await admin.allows('permission', UPDATE, record(8, null, 2)))
  })

  test('a token narrowed to some abilities is refused the others', async ({ assert }) => {
    const bouncer = bouncerFor(accessWith({ [READ]: 'all', [UPDATE]: 'all' }).restrictedTo([READ]))
    assert.isTrue(await bouncer.allows('permission', READ, record(8)))
    assert.isFalse(await bouncer.allows('permission', UPDATE, record(8)))
  })

  test('authorize refuses with a 403', async ({ assert }) => {
    const bouncer = bouncerFor(accessWith({ [UPDATE]: 'own' }))
    await bouncer.authorize('permission', UPDATE, record(7))
    try {
      await bouncer.authorize('permission', UPDATE, record(8))
      assert.fail('authorize should have thrown')
    } catch (error) {
      assert.equal((error as { status: number }).status, 403)
    }
  })
})
