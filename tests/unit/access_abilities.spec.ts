import { test } from '@japa/runner'
import { Access, type RecordScope } from '#kernel/security/access'

const READ = 'contacts.contact.read'
const CREATE = 'contacts.contact.create'

function access(role: string, grants: Record<string, RecordScope>) {
  return new Access(7, 1, role, new Map(Object.entries(grants)), [3])
}

test.group('Access: a token’s abilities', () => {
  test('the effective permissions are the role’s intersected with the abilities', ({ assert }) => {
    const staff = access('staff', { [READ]: 'team', [CREATE]: 'all' })
    const restricted = staff.restrictedTo([READ, 'stock.item.read'])
    assert.isTrue(restricted.isRestricted)
    assert.isTrue(restricted.can(READ))
    assert.isFalse(restricted.can(CREATE))
    // An ability the role does not grant gives nothing.
    assert.isFalse(restricted.can('stock.item.read'))
    assert.equal(restricted.scopeFor(READ), 'team')
    assert.isNull(restricted.scopeFor(CREATE))
    assert.deepEqual(restricted.toJSON().permissions, [READ])
    // The role's own access is left as it was.
    assert.isTrue(staff.can(CREATE))
    assert.isFalse(staff.isRestricted)
  })

  test('an admin’s token is restricted too; `*` restricts nothing', ({ assert }) => {
    const admin = access('admin', {})
    const restricted = admin.restrictedTo([READ])
    assert.isTrue(restricted.can(READ))
    assert.isFalse(restricted.can(CREATE))
    assert.isFalse(restricted.can('kernel.users.manage'))
    assert.equal(restricted.scopeFor(READ), 'all')
    assert.deepEqual(restricted.toJSON().permissions, [READ])
    assert.strictEqual(admin.restrictedTo(['*']), admin)
    assert.deepEqual(admin.toJSON().permissions, ['*'])
  })

  test('the record scope of a restricted access filters like the role’s', ({ assert }) => {
    const restricted = access('staff', { [READ]: 'own' }).restrictedTo([CREATE])
    const sql = restricted
      .scope(
        // A query builder stand-in that records the conditions it is given.
        new (class {
          calls: string[] = []
          where(...args: unknown[]) {
            this.calls.push(`where ${args.join(' ')}`)
            return this
          }
          whereRaw(raw: string) {
            this.calls.push(`raw ${raw}`)
            return this
          }
        })() as any,
        READ
      )
      .calls.join('; ')
    assert.include(sql, 'raw 1 = 0')
  })
})
