import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { siretFor } from '#tests/helpers/imports'
import { resolveAccess, type Access } from '#kernel/security/access'
import { parseImportFile } from '#kernel/imports/parse'
import { guessMapping } from '#kernel/imports/mapping'
import {
  applyImport,
  checkImport,
  findImportKind,
  importContext,
  mayImport,
} from '#kernel/imports/pipeline'
import ContactService from '../../services/contact_service.js'

const kind = findImportKind('contacts.contacts')!

async function run(access: Access, csv: string, locale: 'fr' | 'en' = 'fr') {
  const { default: handler } = await kind.declaration.load()
  const ctx = importContext(access, locale)
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
      .map((r) => [r.line, ...r.problems.map((p) => `${p.field}: ${p.message}`)]),
    apply: () => applyImport(ctx, kind, handler, report),
  }
}

test.group('Contacts import: keys, checks and permissions', () => {
  test('updates by code, then SIRET, then e-mail; creates otherwise; unknown codes are refused', async ({
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    const access = (await resolveAccess(user.id, company.id))!
    const service = new ContactService(access)
    const byCode = await service.create({ kind: 'company', name: 'Par code', paymentTermsDays: 30 })
    const bySiret = await service.create({ kind: 'company', name: 'Par SIRET', siret: siretFor(1) })
    const byEmail = await service.create({
      kind: 'person',
      name: 'Par mail',
      email: 'anna@exemple.fr',
    })

    const csv = [
      'Code;Nom;SIRET;E-mail;Délai de paiement (jours);Étiquettes',
      `${byCode.code};Par code (renommé);;;45;`,
      `;Par SIRET (renommé);${siretFor(1)
        .replace(/(\d{3})/g, '$1 ')
        .trim()};;;vip, couvreur`,
      `;;;ANNA@exemple.fr;10;`,
      `;Nouveau;${siretFor(2)};nouveau@exemple.fr;;`,
      `CL-99999;Inconnu;;;;`,
    ].join('\n')
    const { report, refused } = await run(access, csv)
    assert.deepEqual(refused, [[6, 'code: Aucune fiche avec cette valeur']])
    assert.deepEqual(
      report.rows.map((r) => [r.line, r.action, r.recordId]),
      [
        [2, 'update', byCode.id],
        [3, 'update', bySiret.id],
        [4, 'update', byEmail.id],
        [5, 'create', null],
        [6, 'refuse', null],
      ]
    )

    const fixed = await run(access, csv.split('\n').slice(0, 5).join('\n'))
    assert.deepEqual(fixed.report.counts, { create: 1, update: 3, refuse: 0, excluded: 0 })
    await fixed.apply()
    const rows = await db
      .from('contacts')
      .where('company_id', company.id)
      .orderBy('id')
      .select('id', 'name', 'payment_terms_days', 'tags', 'kind', 'siret')
    assert.deepEqual(
      rows.map((r) => [r.name, r.payment_terms_days, JSON.parse(r.tags), r.kind]),
      [
        ['Par code (renommé)', 45, [], 'company'],
        ['Par SIRET (renommé)', 30, ['vip', 'couvreur'], 'company'],
        // Only the mapped columns that the row fills change a contact.
        ['Par mail', 10, [], 'person'],
        ['Nouveau', 30, [], 'company'],
      ]
    )
    assert.equal(rows[3].siret, siretFor(2))
    const history = await db
      .from('audit_logs')
      .where({ model: 'contacts.contact', record_id: String(byCode.id), event: 'updated' })
      .first()
    assert.deepEqual(JSON.parse(history.changes).name, ['Par code', 'Par code (renommé)'])
  })

  test('module rules and duplicates are refused with reasons in the user’s language', async ({
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    const access = (await resolveAccess(user.id, company.id))!
    const csv = [
      'Nom;SIRET;SIREN;Adresse;Ville;Type;Client',
      `A;12345678901234;;;;;`,
      `B;${siretFor(3)};123456782;;;;`,
      `C;;;1 rue Haute;;;`,
      `D;${siretFor(4)};;;;Coopérative;peut-être`,
      `E;${siretFor(4)};;;;;`,
    ].join('\n')
    const { refused } = await run(access, csv, 'en')
    assert.deepEqual(refused, [
      [2, 'siret: Invalid SIRET (14 digits, check digit)'],
      [3, 'siret: The SIRET must start with the SIREN'],
      [
        4,
        'postalCode: Incomplete address: address, postal code and city go together',
        'city: Incomplete address: address, postal code and city go together',
      ],
      [5, 'kind: Unknown value: company, person expected', 'isCustomer: Yes or no expected'],
      [6, 'siret: Already on line 5 of the file'],
    ])
  })

  test('permissions: the import permission, create/update per row, the update scope and financial fields', async ({
    assert,
  }) => {
    const { company, user: admin } = await companyWithUser('admin')
    const adminAccess = (await resolveAccess(admin.id, company.id))!
    const others = await new ContactService(adminAccess).create({
      kind: 'company',
      name: 'Pas à moi',
      email: 'autre@exemple.fr',
    })

    const { user: noImport } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'all' },
      { permission: 'contacts.contact.create', scope: 'all' },
    ])
    assert.isFalse(mayImport((await resolveAccess(noImport.id, company.id))!, kind.declaration))

    // May import and update its own contacts only; may not create; no financial permission.
    const { user: updater } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'all' },
      { permission: 'contacts.contact.update', scope: 'own' },
      { permission: 'contacts.contact.import', scope: 'all' },
    ])
    const access = (await resolveAccess(updater.id, company.id))!
    assert.isTrue(mayImport(access, kind.declaration))
    const mine = await new ContactService(adminAccess).create({
      kind: 'company',
      name: 'À moi',
      email: 'moi@exemple.fr',
      ownerId: updater.id,
    })
    const { report, refused } = await run(
      access,
      [
        'Code;Nom;E-mail;Encours autorisé (€)',
        `;Mis à jour;moi@exemple.fr;`,
        `;Autre;autre@exemple.fr;`,
        `${others.code};Autre par code;;`,
        `;Moi encore;;1 000`,
      ].join('\n')
    )
    // Outside the update scope, a matching e-mail finds nothing (so the row would create).
    assert.deepEqual(refused, [
      [3, "row: Vous n'avez pas le droit de créer des fiches"],
      [4, 'code: Aucune fiche avec cette valeur'],
      [
        5,
        "row: Vous n'avez pas le droit de créer des fiches",
        'creditLimitCents: Vous ne pouvez pas modifier ce champ (conditions financières)',
      ],
    ])
    assert.deepEqual(report.rows[0], {
      line: 2,
      action: 'update',
      recordId: mine.id,
      problems: [],
      values: { name: 'Mis à jour', email: 'moi@exemple.fr' },
    })
  })
})
