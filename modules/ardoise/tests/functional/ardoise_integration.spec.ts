import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import { ModuleRegistry } from '#kernel/modules/registry'
import { ModuleManager } from '#kernel/modules/module_manager'
import { wireListeners } from '#kernel/modules/listeners'
import { defineModule } from '#kernel/modules/define_module'
import { dbNow } from '#kernel/db/timestamp'
import { Access } from '#kernel/security/access'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import {
  CALCULATION_SAVED_EVENT,
  calculationBillOfMaterials,
  calculationsFor,
  type CalculationSavedEvent,
} from '../../index.js'

const example = {
  slate: { length: 400, width: 250 },
  pitchPercent: 60,
  zone: 1,
  situation: 'normale',
  rampant: 7,
  area: 50,
  wastePercent: 5,
  fixing: 'crochet',
}

/**
 * A test-only job-site module integrating ardoise: it listens for calculations
 * saved against its records and reads their bill of materials through
 * ardoise's index.ts, as chantiers will.
 */
async function fixtureChantiers(heard: CalculationSavedEvent[]) {
  const registry = new ModuleRegistry()
  registry.load([
    defineModule({
      name: 'fx_chantiers',
      version: '1.0.0',
      label: { fr: 'Chantiers (test)', en: 'Job sites (test)' },
      description: { fr: 'Module de test', en: 'Test module' },
      integrates: ['ardoise'],
      listeners: [
        {
          event: CALCULATION_SAVED_EVENT,
          handle: (payload: CalculationSavedEvent) => void heard.push(payload),
        },
      ],
    }),
  ])
  const manager = new ModuleManager(registry)
  wireListeners(registry, manager, emitter)
  const now = dbNow()
  await db.table('modules').insert({
    name: 'fx_chantiers',
    version: '1.0.0',
    enabled: true,
    installed_at: now,
    updated_at: now,
  })
  return async () => {
    await db.from('modules').where('name', 'fx_chantiers').delete()
    emitter.clearListeners(CALCULATION_SAVED_EVENT as any)
  }
}

test.group('Ardoise public surface', () => {
  test('saving against a record emits the event with the bill of materials; a plain save does not', async ({
    client,
    assert,
  }) => {
    const heard: CalculationSavedEvent[] = []
    const cleanup = await fixtureChantiers(heard)
    try {
      const { user, company } = await companyWithUser('manager')
      const token = await tokenFor(user)
      const contact = await client
        .post('/api/v1/contacts')
        .bearerToken(token)
        .json({ kind: 'company', name: 'Chantier Dinard' })
      const recordId = contact.body().data.id

      const plain = await client
        .post('/api/v1/ardoise/calculations')
        .bearerToken(token)
        .json({ ...example, title: 'Sans lien' })
      plain.assertStatus(201)
      assert.lengthOf(heard, 0)

      const linked = await client
        .post('/api/v1/ardoise/calculations')
        .bearerToken(token)
        .json({
          ...example,
          title: 'Pan nord',
          record: { model: 'contacts.contact', id: recordId },
        })
      linked.assertStatus(201)
      assert.lengthOf(heard, 1)
      assert.deepEqual(heard[0], {
        calculationId: linked.body().data.id,
        companyId: company.id,
        userId: user.id,
        record: { model: 'contacts.contact', id: recordId },
        title: 'Pan nord',
        tableVersion: 'DTU 40.11 (1977/1993) — site normal v1',
        feasible: true,
        billOfMaterials: {
          tableVersion: 'DTU 40.11 (1977/1993) — site normal v1',
          lines: [
            {
              item: 'slate',
              label: { fr: 'Ardoises', en: 'Slates' },
              unit: 'u',
              quantity: 1396,
              detail: '400×250 mm',
            },
            {
              item: 'hook',
              label: { fr: 'Crochets', en: 'Hooks' },
              unit: 'u',
              quantity: 1396,
              detail: '110 mm',
            },
            {
              item: 'batten',
              label: { fr: 'Liteaux', en: 'Battens' },
              unit: 'm',
              quantity: 332,
              detail: '150.5 mm',
            },
          ],
        },
      })

      // What the job-site module reads back through index.ts, within the user's scope
      const access = new Access(
        user.id,
        company.id,
        'manager',
        new Map([['ardoise.calculation.read', 'all']]),
        []
      )
      const bill = await calculationBillOfMaterials(access, linked.body().data.id)
      assert.deepEqual(
        bill?.lines.map((l) => [l.item, l.quantity, l.unit]),
        [
          ['slate', 1396, 'u'],
          ['hook', 1396, 'u'],
          ['batten', 332, 'm'],
        ]
      )
      const list = await calculationsFor(access, { model: 'contacts.contact', id: recordId })
      assert.deepEqual(
        list.map((c) => c.title),
        ['Pan nord']
      )
      // Someone who may not read calculations gets nothing
      const blind = new Access(user.id, company.id, 'staff', new Map(), [])
      assert.isNull(await calculationBillOfMaterials(blind, linked.body().data.id))
    } finally {
      await cleanup()
    }
  })

  test('nailed roofs: nails instead of hooks in the bill; a refusal has no bill', async ({
    client,
    assert,
  }) => {
    const { user, company } = await companyWithUser('manager')
    const token = await tokenFor(user)
    const nailed = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: 'Cloué', fixing: 'clou' })
    const refused = await client
      .post('/api/v1/ardoise/calculations')
      .bearerToken(token)
      .json({ ...example, title: 'Trop plat', pitchPercent: 10 })
    const access = new Access(user.id, company.id, 'admin', new Map(), [])
    const bill = await calculationBillOfMaterials(access, nailed.body().data.id)
    assert.deepEqual(
      bill?.lines.map((l) => [l.item, l.quantity, l.unit]),
      [
        ['slate', 1396, 'u'],
        ['nail', 2792, 'u'],
        ['batten', 332, 'm'],
      ]
    )
    assert.isNull(await calculationBillOfMaterials(access, refused.body().data.id))
  })
})
