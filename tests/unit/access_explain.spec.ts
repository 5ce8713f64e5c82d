import { test } from '@japa/runner'
import { Access, type RecordScope } from '#kernel/security/access'
import { decide, type RecordFacts } from '#kernel/security/explain'

const READ = 'stock.item.read'

function access(role: string, grants: Record<string, RecordScope>, teams: number[] = []) {
  return new Access(7, 1, role, new Map(Object.entries(grants)), teams)
}
function record(facts: Partial<RecordFacts> = {}): RecordFacts {
  return { id: 42, companyId: 1, ownerId: 99, teamId: null, ...facts }
}

test.group('Access explainer: decide()', () => {
  test('a non-member is refused before anything else', ({ assert }) => {
    const result = decide(null, READ)
    assert.isFalse(result.allowed)
    assert.equal(result.reason, 'not_member')
    assert.isFalse(result.member)
  })

  test('an unknown permission is named as such', ({ assert }) => {
    const result = decide(access('staff', {}), 'nope.x.y', { known: false })
    assert.deepInclude(result, { allowed: false, reason: 'unknown_permission', role: 'staff' })
  })

  test('without a record: the role grants the permission or not', ({ assert }) => {
    assert.deepInclude(decide(access('staff', { [READ]: 'own' }), READ), {
      allowed: true,
      reason: 'granted',
      granted: true,
      scope: 'own',
    })
    assert.deepInclude(decide(access('staff', {}), READ), {
      allowed: false,
      reason: 'not_granted',
      granted: false,
      scope: null,
    })
    assert.deepInclude(decide(access('admin', {}), READ), { allowed: true, reason: 'admin' })
  })

  test('a record: scope all allows every record of the company', ({ assert }) => {
    const result = decide(access('staff', { [READ]: 'all' }), READ, { record: record() })
    assert.deepInclude(result, { allowed: true, reason: 'scope_all' })
    assert.deepEqual(result.record, {
      id: 42,
      found: true,
      companyMatch: true,
      ownerMatch: false,
      teamMatch: false,
    })
  })

  test('a record: scope own allows the owner only', ({ assert }) => {
    const own = access('staff', { [READ]: 'own' }, [5])
    assert.equal(decide(own, READ, { record: record({ ownerId: 7 }) }).reason, 'owner')
    const teamRecord = decide(own, READ, { record: record({ teamId: 5 }) })
    assert.deepInclude(teamRecord, { allowed: false, reason: 'outside_scope' })
    assert.isTrue(teamRecord.record!.teamMatch)
  })

  test('a record: scope team allows the owner and the member’s teams', ({ assert }) => {
    const team = access('staff', { [READ]: 'team' }, [5, 6])
    assert.deepInclude(decide(team, READ, { record: record({ teamId: 6 }) }), {
      allowed: true,
      reason: 'team',
    })
    assert.deepInclude(decide(team, READ, { record: record({ ownerId: 7, teamId: 9 }) }), {
      allowed: true,
      reason: 'owner',
    })
    assert.deepInclude(decide(team, READ, { record: record({ teamId: 9 }) }), {
      allowed: false,
      reason: 'outside_scope',
    })
    assert.deepInclude(decide(team, READ, { record: record({ teamId: null }) }), {
      allowed: false,
      reason: 'outside_scope',
    })
  })

  test('scopes never cross companies, not even for admins', ({ assert }) => {
    const elsewhere = record({ companyId: 2, ownerId: 7 })
    assert.deepInclude(decide(access('admin', {}), READ, { record: elsewhere }), {
      allowed: false,
      reason: 'other_company',
    })
    assert.deepInclude(decide(access('staff', { [READ]: 'all' }), READ, { record: elsewhere }), {
      allowed: false,
      reason: 'other_company',
    })
    assert.deepInclude(decide(access('admin', {}), READ, { record: record() }), {
      allowed: true,
      reason: 'admin',
    })
  })

  test('a missing record is reported as not found; a refused grant stops before the record', ({
    assert,
  }) => {
    const missing = decide(access('staff', { [READ]: 'all' }), READ, {
      record: null,
      recordId: 13,
    })
    assert.deepInclude(missing, { allowed: false, reason: 'record_not_found' })
    assert.deepEqual(missing.record, {
      id: 13,
      found: false,
      companyMatch: null,
      ownerMatch: null,
      teamMatch: null,
    })
    assert.equal(
      decide(access('staff', {}), READ, { record: record({ ownerId: 7 }) }).reason,
      'not_granted'
    )
  })
})
