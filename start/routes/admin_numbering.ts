import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { updateSeriesValidator } from '#validators/numbering'
import '#kernel/numbering/audited'

const NumberingController = () => import('#controllers/numbering_controller')

const MANAGE = 'kernel.numbering.manage'

/* Numbering series of the current company (pages) */
router
  .group(() => {
    const id = router.matchers.number()
    router.get('/settings/numbering', [NumberingController, 'index']).as('numbering.index')
    router
      .get('/settings/numbering/:id', [NumberingController, 'edit'])
      .where('id', id)
      .as('numbering.edit')
    router
      .put('/settings/numbering/:id', [NumberingController, 'update'])
      .where('id', id)
      .as('numbering.update')
  })
  .use([...webAuthStack(), can(MANAGE)])

const seriesSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    key: { type: 'string', description: 'e.g. `contacts.contact`' },
    module: { type: ['string', 'null'], description: 'The module that declares it' },
    label: { type: 'string' },
    format: { type: 'string', description: 'e.g. `FA-{YYYY}-{seq:5}`' },
    padding: { type: 'integer', description: 'N in `{seq:N}`' },
    reset: { type: 'string', enum: ['never', 'yearly', 'monthly'] },
    period: { type: 'string', description: "The current period: '' (never), `2026`, `2026-11`" },
    lastValue: { type: 'integer', description: 'Last number issued in the current period' },
    nextValue: { type: 'integer' },
    preview: { type: 'string', description: 'The next number as it will read' },
  },
}

/* The same through the API */
router
  .group(() => {
    const id = router.matchers.number()
    apiDoc(
      router
        .get('/api/v1/admin/numbering', [NumberingController, 'apiIndex'])
        .as('api.numbering.index'),
      {
        summary: "The current company's numbering series, each with a preview of its next number",
        responses: {
          200: {
            description: 'The series',
            schema: {
              type: 'object',
              properties: { data: { type: 'array', items: seriesSchema } },
            },
          },
        },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/numbering/:id', [NumberingController, 'apiShow'])
        .where('id', id)
        .as('api.numbering.show'),
      {
        summary: 'One numbering series',
        responses: {
          200: {
            description: 'The series',
            schema: { type: 'object', properties: { data: seriesSchema } },
          },
        },
      }
    )
    apiDoc(
      router
        .patch('/api/v1/admin/numbering/:id', [NumberingController, 'apiUpdate'])
        .where('id', id)
        .as('api.numbering.update'),
      {
        summary: 'Changes a series: format, padding, reset and/or next number',
        description:
          'The format is fixed text with the tokens `{YYYY}`, `{YY}`, `{MM}` and one `{seq:N}`; a series reset every year (month) must show the year (and the month). `padding` sets N in `{seq:N}`. `nextValue` may only move forward: a number at or below the last one issued in the current period is refused (422). Numbers already issued are never issued again, whatever the new format.',
        body: updateSeriesValidator,
        responses: {
          200: {
            description: 'The series',
            schema: { type: 'object', properties: { data: seriesSchema } },
          },
        },
      }
    )
  })
  .use([...apiStack(), can(MANAGE)])
