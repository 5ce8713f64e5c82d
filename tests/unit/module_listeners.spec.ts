import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import { ModuleRegistry } from '#kernel/modules/registry'
import { ModuleManager } from '#kernel/modules/module_manager'
import { wireListeners } from '#kernel/modules/listeners'
import { defineModule } from '#kernel/modules/define_module'
import { dbNow } from '#kernel/db/timestamp'

test.group('Module listeners', () => {
  test('a module’s listener hears events while it is enabled, and stays silent when disabled', async ({
    assert,
  }) => {
    const heard: unknown[] = []
    const registry = new ModuleRegistry()
    registry.load([
      defineModule({
        name: 'fx_listener',
        version: '1.0.0',
        label: { fr: 'Écoute', en: 'Listener' },
        description: { fr: 'Module de test', en: 'Test module' },
        listeners: [{ event: 'fx:something', handle: (payload) => void heard.push(payload) }],
      }),
    ])
    const manager = new ModuleManager(registry)
    wireListeners(registry, manager, emitter)
    const now = dbNow()
    await db.table('modules').insert({
      name: 'fx_listener',
      version: '1.0.0',
      enabled: true,
      installed_at: now,
      updated_at: now,
    })
    try {
      await emitter.emit('fx:something' as any, { n: 1 })
      await db.from('modules').where('name', 'fx_listener').update({ enabled: false })
      manager.forget()
      await emitter.emit('fx:something' as any, { n: 2 })
      await db.from('modules').where('name', 'fx_listener').update({ enabled: true })
      manager.forget()
      await emitter.emit('fx:something' as any, { n: 3 })
      assert.deepEqual(heard, [{ n: 1 }, { n: 3 }])
    } finally {
      await db.from('modules').where('name', 'fx_listener').delete()
      emitter.clearListeners('fx:something' as any)
    }
  })
})
