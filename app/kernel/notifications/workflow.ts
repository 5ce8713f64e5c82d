import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { declaredWorkflow } from '#kernel/workflow/store'
import { notify } from './notifications.js'

/**
 * Delivers the notify/email actions a transition queued in
 * `workflow_deliveries` (the engine calls this after its commit). Each
 * delivery is claimed and turned into notifications in one transaction, so
 * it is delivered once even if two processes try; one that fails is marked
 * `failed` and logged, and the others still go.
 */
export async function deliverWorkflowActions(ids: number[]) {
  for (const id of ids) {
    try {
      await db.transaction(async (trx) => {
        const delivery = await trx
          .from('workflow_deliveries')
          .where('id', id)
          .where('status', 'pending')
          .first()
        if (!delivery) return
        const claimed = await trx
          .from('workflow_deliveries')
          .where('id', id)
          .where('status', 'pending')
          .update({ status: 'delivered' })
        if (!(Array.isArray(claimed) ? claimed.length : Number(claimed))) return
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
      })
    } catch (error) {
      logger.error({ err: error, delivery: id }, 'workflow delivery failed')
      await db
        .from('workflow_deliveries')
        .where('id', id)
        .where('status', 'pending')
        .update({ status: 'failed' })
        .catch(() => {})
    }
  }
}
