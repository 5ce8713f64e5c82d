import { test } from '@japa/runner'
import { mkdir, writeFile, rm } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import Company from '#models/company'
import { renderDocument, type PdfBlock } from '#kernel/pdf/render'
import { PdfInputError } from '#kernel/pdf/format'
import { SAMPLE_LINES } from '#kernel/pdf/sample'
import { companyWithUser, memberOf, tokenFor } from '#tests/helpers/fixtures'
import { pdfPages, embeddedFonts } from '#tests/helpers/pdf'

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)

/** A company with a full legal identity, as a French SARL prints it. */
async function legalCompany(role = 'admin') {
  const made = await companyWithUser(role)
  await made.company
    .merge({
      name: 'Toitures Lefèvre',
      legalName: 'Toitures Lefèvre & Fils',
      legalForm: 'SARL',
      siren: '732829320',
      siret: '73282932000074',
      vatNumber: 'FR44732829320',
      rcs: 'RCS Rennes 732 829 320',
      capitalCents: 1_500_000,
      addressLine1: '12 rue de la Forêt',
      postalCode: '35000',
      city: 'Rennes',
      phone: '02 99 00 00 00',
      email: 'contact@lefevre.example',
      decennialInsurance: 'SMABTP, contrat n° 123456, France métropolitaine',
    })
    .save()
  return made
}

const LINES = 90

function lineBlocks(): PdfBlock[] {
  return [
    { type: 'heading', text: 'Détail des travaux' },
    { type: 'paragraph', text: 'Accents : élève, très, garçon, œuvre, Noël, cœur — 12 €' },
    { type: 'keyValues', items: [{ label: 'Chantier', value: 'Château de Brécé' }] },
    {
      type: 'table',
      columns: [
        { key: 'label', label: 'Désignation' },
        { key: 'day', label: 'Date', kind: 'date', width: 60 },
        { key: 'qty', label: 'Quantité', kind: 'quantity', width: 50 },
        { key: 'rate', label: 'TVA', kind: 'percent', width: 40 },
        { key: 'price', label: 'Prix unitaire HT', kind: 'money', width: 80 },
      ],
      rows: Array.from({ length: LINES }, (_, i) => ({
        label: `Ligne ${i + 1}`,
        day: '2026-11-22',
        qty: 1500,
        rate: 5.5,
        price: 123_450 + i,
      })),
    },
    {
      type: 'totals',
      items: [
        { label: 'Total HT', cents: 1_234_567 },
        { label: 'Total TTC', cents: 1_481_480, emphasis: true },
      ],
    },
  ]
}

test.group('PDF documents', () => {
  test('a multi-page document carries the letterhead, the legal footer and page numbers', async ({
    assert,
  }) => {
    const { company } = await legalCompany()
    const pdf = await renderDocument({
      companyId: company.id,
      title: 'Devis',
      meta: [{ label: 'Numéro', value: 'DE-2026-00042' }],
      blocks: lineBlocks(),
    })
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')

    const pages = await pdfPages(pdf)
    assert.equal(pages.length, 3)
    const [first, second, third] = pages

    // Letterhead on the first page: name, address, contact, SIRET and VAT number.
    for (const text of [
      'Toitures Lefèvre',
      '12 rue de la Forêt',
      '35000 Rennes',
      'Tél. 02 99 00 00 00',
      'contact@lefevre.example',
      'SIRET 732 829 320 00074',
      'TVA FR44732829320',
      'Devis',
      'DE-2026-00042',
    ]) {
      assert.include(first, text)
    }
    // From page 2 on, a running head names the company and the document.
    assert.include(second, 'Toitures Lefèvre Devis')
    assert.notInclude(second, '12 rue de la Forêt 35000')

    pages.forEach((page, i) => {
      // The legal mentions and the page number on every page.
      assert.include(
        page,
        'Toitures Lefèvre & Fils · SARL au capital de 15 000,00 € · RCS Rennes 732 829 320 · SIRET 732 829 320 00074 · TVA intracommunautaire FR44732829320'
      )
      assert.include(page, 'Assurance décennale : SMABTP, contrat n° 123456, France métropolitaine')
      assert.include(page, `Page ${i + 1} / 3`)
      // The table's header is repeated at the top of every page it runs onto.
      assert.include(page, 'Désignation Date Quantité TVA Prix unitaire HT')
    })

    // French formats: dates, quantities, rates and money.
    assert.include(first, 'Ligne 1 22/11/2026 1,5 5,5 % 1 234,50 €')
    assert.include(third, `Ligne ${LINES} 22/11/2026 1,5 5,5 % 1 235,39 €`)
    assert.include(third, 'Total HT 12 345,67 €')
    assert.include(third, 'Total TTC 14 814,80 €')
    // Accents and ligatures come out as written.
    assert.include(first, 'élève, très, garçon, œuvre, Noël, cœur — 12 €')
    assert.include(first, 'Chantier Château de Brécé')

    // Every row is printed exactly once.
    const rows = pages.join(' ').match(/Ligne \d+ /g)!
    assert.lengthOf(rows, LINES)

    // The font travels with the document.
    assert.isTrue(embeddedFonts(pdf).some((name) => name.endsWith('Roboto-Regular')))
  })

  test('English documents keep the legal identity; dates follow the company time zone', async ({
    assert,
  }) => {
    const { company } = await legalCompany()
    company.decennialInsurance = null
    company.timezone = 'Pacific/Auckland'
    await company.save()
    const pdf = await renderDocument({
      companyId: company.id,
      locale: 'en',
      title: 'Intervention report',
      blocks: [
        {
          type: 'table',
          columns: [
            { key: 'at', label: 'Day', kind: 'date' },
            { key: 'hours', label: 'Hours', kind: 'number', decimals: 1 },
          ],
          // 11:30 UTC on the 22nd is already the 23rd in Auckland.
          rows: [{ at: DateTime.fromISO('2026-11-22T11:30:00Z'), hours: 2.25 }],
        },
        { type: 'table', columns: [{ key: 'x', label: 'Empty' }], rows: [] },
      ],
    })
    const [page] = await pdfPages(pdf)
    assert.include(page, 'Day Hours 23/11/2026 2.3')
    assert.include(page, 'Empty No lines.')
    assert.include(page, 'SARL with a share capital of €15,000.00')
    assert.include(page, 'VAT number FR44732829320')
    assert.include(page, 'Page 1 of 1')
    assert.notInclude(page, 'Assurance décennale')
  })

  test('a long footer gets the room it needs on every page', async ({ assert }) => {
    const { company } = await legalCompany()
    const policy = Array.from({ length: 12 }, (_, i) => `garantie ${i + 1} : couverture complète`)
    company.decennialInsurance = `SMABTP, contrat n° 123456 — ${policy.join(', ')} — fin.`
    await company.save()
    const pages = await pdfPages(
      await renderDocument({ companyId: company.id, title: 'Devis', blocks: lineBlocks() })
    )
    assert.isAbove(pages.length, 2)
    pages.forEach((page, i) => {
      assert.include(page, 'garantie 12 : couverture complète — fin.')
      assert.include(page, `Page ${i + 1} / ${pages.length}`)
    })
    assert.lengthOf(pages.join(' ').match(/Ligne \d+ /g)!, LINES)
  })

  test('the logo is embedded; values a column cannot print are refused', async ({ assert }) => {
    const { company } = await legalCompany()
    const folder = app.makePath('storage', 'logos')
    await mkdir(folder, { recursive: true })
    const name = `company-${company.id}.png`
    await writeFile(`${folder}/${name}`, PNG)
    company.logoPath = name
    await company.save()
    try {
      const withLogo = await renderDocument({ companyId: company.id, title: 'Logo', blocks: [] })
      assert.match(withLogo.toString('latin1'), /\/Subtype \/Image/)
    } finally {
      await rm(`${folder}/${name}`, { force: true })
    }
    // The logo file gone: the document is still printed, without it.
    const without = await renderDocument({ companyId: company.id, title: 'Logo', blocks: [] })
    assert.notMatch(without.toString('latin1'), /\/Subtype \/Image/)

    await assert.rejects(
      () =>
        renderDocument({
          companyId: company.id,
          title: 'Bad',
          blocks: [
            {
              type: 'table',
              columns: [{ key: 'price', label: 'Prix', kind: 'money' }],
              rows: [{ price: 12.5 }],
            },
          ],
        }),
      PdfInputError
    )
  })

  test('the letterhead sample: members with kernel.company.read only', async ({
    client,
    assert,
  }) => {
    const { company, user } = await legalCompany()
    const technician = await memberOf(company.id, 'technician')
    const staff = await memberOf(company.id, 'staff')

    ;(await client.get('/settings/company/letterhead.pdf').loginAs(technician)).assertStatus(403)
    ;(
      await client.get('/api/v1/company/letterhead.pdf').bearerToken(await tokenFor(technician))
    ).assertStatus(403)

    const page = await client.get('/settings/company/letterhead.pdf').loginAs(staff)
    page.assertStatus(200)
    assert.equal(page.header('content-type'), 'application/pdf')
    assert.include(page.header('content-disposition'), 'papier-en-tete.pdf')
    assert.equal(page.body().subarray(0, 5).toString(), '%PDF-')

    const api = await client.get('/api/v1/company/letterhead.pdf').bearerToken(await tokenFor(user))
    api.assertStatus(200)
    assert.equal(api.header('content-type'), 'application/pdf')
    const pages = await pdfPages(api.body())
    assert.lengthOf(pages, 3)
    assert.include(pages[0], 'Toitures Lefèvre')
    assert.include(pages[0], 'Exemple de document')
    pages.forEach((text, i) => {
      assert.include(text, `Page ${i + 1} / 3`)
      assert.include(text, 'Désignation Qté Unité Prix unitaire HT Montant HT')
    })
    assert.lengthOf(pages.join(' ').match(/pan n° \d+/g)!, SAMPLE_LINES)

    // Another company's letterhead never shows.
    const other = await companyWithUser('admin')
    await Company.query().where('id', other.company.id).update({ name: 'Autre Société' })
    const theirs = await client
      .get('/api/v1/company/letterhead.pdf')
      .bearerToken(await tokenFor(other.user))
    const [theirFirst] = await pdfPages(theirs.body())
    assert.include(theirFirst, 'Autre Société')
    assert.notInclude(theirFirst, 'Lefèvre')
  })
})
