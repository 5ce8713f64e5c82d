import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { declaredWorkflow } from '#kernel/workflow/store'
import { deliveryFailed, notify } from './notifications.js'

/**
 * Delivers the notify/email actions a transition queued in
 * `workflow_deliveries` (the engine calls this after its commit; the
 * delivery sweep calls it for those a crash left pending). Each delivery is
 * claimed and turned into notifications in one transaction, so it is
 * delivered once even if two processes try — the second waits for the
 * first's claim and finds it taken. One that fails counts an attempt and
 * waits for the sweep (given up, and shown to admins, once out of
 * attempts); the others still go.
 */
export async function deliverWorkflowActions(ids: number[], at: Date = new Date()) {
  let delivered = 0
  for (const id of ids) {
    try {
      const done = await db.transaction(async (trx) => {
        const claimed = await trx
          .from('workflow_deliveries')
          .where('id', id)
          .where('status', 'pending')
          .update({ status: 'delivered', attempts: db.raw('attempts + 1') })
        if (!(Array.isArray(claimed) ? claimed.length : Number(claimed))) return false
        const delivery = await trx.from('workflow_deliveries').where('id', id).first()
        const label = declaredWorkflow(delivery.model)?.label ?? {
          fr: delivery.model,
          en: delivery.model,
        }
        await notify(
          {
            type: delivery.channel === 'email' ? 'kernel.workflow_email' : 'kernel.workflow',
            companyId: Number(delivery.company_id),
            recipients: JSON.parse(delivery.recipients) as number[],
            title: JSON.parse(delivery.message),
            body: {
              fr: `${label.fr} n° ${delivery.record_id}`,
              en: `${label.en} #${delivery.record_id}`,
            },
            record: { model: delivery.model, id: delivery.record_id },
          },
          { client: trx }
        )
        return true
      })
      if (done) delivered++
    } catch (error) {
      logger.error({ err: error, delivery: id }, 'workflow delivery failed')
      // The claim went with the rollback: count the attempt outside it.
      try {
        await db
          .from('workflow_deliveries')
          .where('id', id)
          .where('status', 'pending')
          .update({ attempts: db.raw('attempts + 1') })
        const row = await db.from('workflow_deliveries').where('id', id).first()
        if (row?.status === 'pending') {
          await deliveryFailed('workflow_deliveries', row, error as Error, at)
        }
      } catch (failure) {
        logger.error({ err: failure, delivery: id }, 'workflow delivery attempt not recorded')
      }
    }
  }
  return delivered
}
