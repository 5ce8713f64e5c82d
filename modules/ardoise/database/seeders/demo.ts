import type { ModuleContext } from '#kernel/modules/define_module'
import { dbNow } from '#kernel/db/timestamp'
import { calculate, type CalculationInput } from '../../services/calculate.js'
import { activeTable, seedCompany } from '../../services/tables.js'

const DEMO: { title: string; input: CalculationInput }[] = [
  {
    title: 'Maison Le Bihan, Dinard — pan nord',
    input: {
      slate: { length: 400, width: 250, thickness: 4 },
      pitchPercent: 60,
      zone: 1,
      situation: 'normale',
      rampant: 7,
      area: 50,
      wastePercent: 5,
      fixing: 'crochet',
    },
  },
  {
    title: 'Mairie de Saint-Malo — chapelle',
    input: {
      slate: { length: 460, width: 300, thickness: 4.5 },
      pitchPercent: 100,
      zone: 3,
      situation: 'exposee',
      rampant: 9.5,
      area: 180,
      wastePercent: 10,
      fixing: 'crochet',
    },
  },
  {
    title: 'Appentis, Vitré (pente trop faible ?)',
    input: {
      slate: { length: 320, width: 220 },
      pitchPercent: 25,
      zone: 2,
      situation: 'normale',
      rampant: 3,
      area: 12,
      fixing: 'clou',
    },
  },
]

/** A few saved calculations of a roofing firm in Brittany, one of them refused. */
export default async function seedDemoCalculations(
  ctx: ModuleContext & { companyId: number; userId: number }
) {
  await seedCompany(ctx.client, ctx.companyId)
  const table = await activeTable(ctx.companyId, ctx.client)
  if (!table) return
  const now = dbNow(ctx.client)
  for (const demo of DEMO) {
    const result = calculate(table.table, demo.input)
    await ctx.client.table('ardoise_calculations').insert({
      company_id: ctx.companyId,
      title: demo.title,
      table_id: table.id,
      table_label: table.label,
      format_id: null,
      inputs: JSON.stringify(demo.input),
      result: JSON.stringify(result),
      feasible: result.feasible,
      reason: result.feasible ? null : result.reason,
      record_model: null,
      record_id: null,
      search_text: demo.title
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase(),
      owner_id: ctx.userId,
      team_id: null,
      created_at: now,
      updated_at: now,
    })
  }
}
