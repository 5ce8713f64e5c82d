import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { resolveAccess, forgetAccess, type Access } from '#kernel/security/access'
import { parseImportFile } from '#kernel/imports/parse'
import { guessMapping } from '#kernel/imports/mapping'
import {
  applyImport,
  checkImport,
  findImportKind,
  importContext,
  ImportNotReady,
} from '#kernel/imports/pipeline'
import { stockSite } from '../helpers.js'
import { verifyLedger } from '../../services/verify.js'

async function run(access: Access, csv: string) {
  const kind = findImportKind('stock.articles')!
  const { default: handler } = await kind.declaration.load()
  const ctx = importContext(access, 'fr')
  const table = await parseImportFile(Buffer.from(csv, 'utf8'))
  const report = await checkImport(
    ctx,
    kind,
    handler,
    table,
    guessMapping(kind.declaration.fields, table.headers)
  )
  return {
    report,
    refused: report.rows
      .filter((r) => r.action === 'refuse')
      .map((r) => [r.line, ...r.problems.map((p) => p.field)]),
    apply: () => applyImport(ctx, kind, handler, report),
  }
}

const HEADER =
  'Référence;Désignation;Catégorie;Prix d’achat HT;Stock minimum;Emplacement;Quantité en stock'

test.group('Stock import: articles and opening stock', () => {
  test('a bad row shows in the dry run and nothing is imported until it is fixed', async ({
    client,
    assert,
  }) => {
    const { company, user, warehouse, article, api } = await stockSite(client)
    forgetAccess()
    const access = (await resolveAccess(user.id, company.id))!
    const lines = [
      HEADER,
      'FILT-AIR;Filtre à air;Filtres;12,50;2;Magasin central;10',
      // The existing article: renamed, its stock set to 4.
      'ROUL-6204;Roulement 6204 (SKF);;;;Magasin central;4',
      'VIS-M8;Vis M8;Visserie;0,10;;Dépôt inconnu;100',
      'JOINT-1;Joint;;;;;-3',
    ]
    const dry = await run(access, lines.join('\r\n'))
    assert.deepEqual(dry.report.counts, { create: 1, update: 1, refuse: 2, excluded: 0 })
    assert.deepEqual(dry.refused, [
      [4, 'location'],
      [5, 'quantity'],
    ])
    await assert.rejects(() => dry.apply(), ImportNotReady as any)
    const none = await db.from('stock_articles').where('company_id', company.id).count('* as total')
    assert.equal(Number(none[0].total), 1)

    // Fixed: the location exists, the negative quantity is gone.
    lines[3] = 'VIS-M8;Vis M8;Visserie;0,10;;Magasin central;100'
    lines[4] = 'JOINT-1;Joint;;;;;'
    const fixed = await run(access, lines.join('\r\n'))
    assert.deepEqual(fixed.refused, [])
    await fixed.apply()

    const levels = (await api.get(`/levels?locationId=${warehouse.id}`)).body().data
    assert.deepEqual(
      levels.map((l: any) => [l.reference, l.quantity, l.valueCents]),
      [
        ['ROUL-6204', 4000, 1800],
        ['FILT-AIR', 10000, 12500],
        ['VIS-M8', 100000, 1000],
      ]
    )
    const renamed = (await api.get(`/articles/${article.id}`)).body().data
    assert.equal(renamed.name, 'Roulement 6204 (SKF)')
    const documents = await db
      .from('stock_movements')
      .where('company_id', company.id)
      .orderBy('id')
      .select('number', 'type')
    // ROUL-6204 had no stock: a receipt at its purchase price, like the two new articles.
    assert.deepEqual(
      documents.map((d) => d.number.replace(/-\d{4}-/, '-')),
      ['BE-00001', 'BE-00002', 'BE-00003']
    )
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])

    // Importing again with other quantities adjusts to them.
    const again = await run(access, [HEADER, 'FILT-AIR;;;;;Magasin central;7'].join('\r\n'))
    await again.apply()
    const filter = (await api.get(`/levels?locationId=${warehouse.id}`)).body().data[1]
    assert.equal(filter.quantity, 7000)
    const last = await db
      .from('stock_movements')
      .where('company_id', company.id)
      .orderBy('id', 'desc')
      .first()
    assert.match(last.number, /^BA-\d{4}-00001$/)
    assert.deepEqual((await verifyLedger(company.id)).mismatches, [])
  })
})
