import { test } from '@japa/runner'
import { validateDefinition } from '#kernel/workflow/validate'
import type { WorkflowDefinition } from '#kernel/workflow/types'

const label = (text: string) => ({ fr: text, en: text })

function sound(): WorkflowDefinition {
  return {
    states: [
      { key: 'draft', label: label('Draft'), initial: true },
      { key: 'sent', label: label('Sent') },
      { key: 'signed', label: label('Signed'), final: true },
    ],
    transitions: [
      { key: 'send', label: label('Send'), from: ['draft'], to: 'sent' },
      {
        key: 'sign',
        label: label('Sign'),
        from: ['sent'],
        to: 'signed',
        guards: [{ field: 'amount', op: '<=', value: 5000, exemptRoles: ['manager'] }],
        actions: [{ type: 'notify', roles: ['manager'], message: label('Signed') }],
      },
    ],
  }
}

const context = {
  fields: { amount: { column: 'amount', type: 'number' as const, label: label('Amount') } },
  roles: new Set(['admin', 'manager', 'staff']),
  permissions: new Set(['quotes.quote.sign']),
}

const rules = (definition: unknown) => validateDefinition(definition, context).map((p) => p.rule)

test.group('Workflow definitions: validation', () => {
  test('a sound definition has no problem', ({ assert }) => {
    assert.deepEqual(validateDefinition(sound(), context), [])
  })

  test('no initial state, or two, is refused', ({ assert }) => {
    const none = sound()
    none.states[0].initial = false
    assert.include(rules(none), 'initial')
    const two = sound()
    two.states[1].initial = true
    assert.include(rules(two), 'one_initial')
  })

  test('transitions to or from unknown states are refused, naming them', ({ assert }) => {
    const broken = sound()
    broken.transitions[0].to = 'archived'
    const problems = validateDefinition(broken, context)
    assert.deepEqual(
      problems.map((p) => [p.field, p.rule]),
      [['transitions.0.to', 'unknown_state']]
    )
    assert.include(problems[0].message.en, '"archived"')
    const from = sound()
    from.transitions[1].from = ['nowhere']
    assert.include(rules(from), 'unknown_state')
  })

  test('a state no path reaches from the initial one is refused', ({ assert }) => {
    const island = sound()
    island.states.push({ key: 'lost', label: label('Lost') })
    const problems = validateDefinition(island, context)
    assert.deepEqual(
      problems.map((p) => p.rule),
      ['unreachable']
    )
    assert.include(problems[0].message.fr, '« lost »')
  })

  test('nothing leaves a final state; duplicate keys are refused', ({ assert }) => {
    const leaving = sound()
    leaving.transitions.push({
      key: 'reopen',
      label: label('Reopen'),
      from: ['signed'],
      to: 'draft',
    })
    assert.include(rules(leaving), 'from_final')
    const twice = sound()
    twice.transitions.push({ ...twice.transitions[0] })
    assert.include(rules(twice), 'unique')
  })

  test('guards and actions only name declared fields, roles and permissions', ({ assert }) => {
    const bad = sound()
    bad.transitions[1].guards = [{ field: 'margin', op: '>', value: 3 }]
    bad.transitions[1].actions = [{ type: 'notify', roles: ['boss'], message: label('x') }]
    bad.transitions[0].allow = { permissions: ['quotes.quote.nope'], roles: ['chief'] }
    const found = rules(bad)
    for (const rule of ['unknown_field', 'unknown_role', 'unknown_permission']) {
      assert.include(found, rule)
    }
    const value = sound()
    value.transitions[1].guards = [{ field: 'amount', op: '>', value: 'lots' }]
    assert.include(rules(value), 'number')
  })

  test('garbage is refused without throwing', ({ assert }) => {
    assert.deepEqual(rules(null), ['object'])
    assert.deepEqual(rules({ states: [], transitions: [] }), ['required'])
    assert.include(rules({ states: [{ key: 'Bad Key' }], transitions: [{}] }), 'key')
  })
})
