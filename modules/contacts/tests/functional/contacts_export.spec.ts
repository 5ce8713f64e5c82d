import { test } from '@japa/runner'
import { readSheet } from 'read-excel-file/node'
import { ApiRequest } from '@japa/api-client'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import { memberWithGrants } from '#tests/helpers/roles'
import { customFieldsAdmin } from '#kernel/custom_fields/admin'
import { resolveAccess } from '#kernel/security/access'
import ContactService from '../../services/contact_service.js'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/* Workbooks reach tests as a Buffer (`response.body()`), not as text. */
ApiRequest.addParser(XLSX, (res: any, done: (e: Error | null, b?: Buffer) => void) => {
  const chunks: Buffer[] = []
  res.on('data', (chunk: Buffer) => chunks.push(chunk))
  res.on('error', (error: Error) => done(error))
  res.on('end', () => done(null, Buffer.concat(chunks)))
})

async function bytesOf(request: any): Promise<Buffer> {
  const response = await request
  response.assertStatus(200)
  response.assertHeader('content-type', XLSX)
  return response.body()
}

test.group('Contacts export as XLSX', () => {
  test('the workbook follows the list’s filters, the record scope, custom fields and field rules', async ({
    client,
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    await customFieldsAdmin.create(company.id, {
      model: 'contacts.contact',
      key: 'secteur',
      label: { fr: 'Secteur', en: 'Sector' },
      type: 'select',
      options: ['BTP', 'Industrie'],
      inList: true,
    } as any)
    const admin = new ContactService((await resolveAccess(user.id, company.id))!)
    // An export clerk who reads and exports only their own contacts, without the financial fields.
    const { user: clerk } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'own' },
      { permission: 'contacts.contact.export', scope: 'own' },
    ])
    await admin.create({
      kind: 'company',
      name: '=HYPERLINK("x")',
      isSupplier: true,
      ownerId: clerk.id,
      creditLimitCents: 500000,
      customFields: { secteur: 'BTP' },
    })
    await admin.create({ kind: 'company', name: 'Pas fournisseur', ownerId: clerk.id })
    await admin.create({
      kind: 'company',
      name: 'Fournisseur d’un autre',
      isSupplier: true,
      customFields: { secteur: 'BTP' },
    })

    const adminRows = await readSheet(
      await bytesOf(
        client
          .get('/api/v1/contacts/export.xlsx?role=supplier&cf[secteur]=BTP')
          .bearerToken(await tokenFor(user))
      )
    )
    const header = adminRows[0] as string[]
    assert.include(header, 'customFields.secteur')
    assert.include(header, 'creditLimit')
    assert.deepEqual(
      adminRows
        .slice(1)
        .map((r) => r[header.indexOf('name')])
        .sort(),
      ['=HYPERLINK("x")', 'Fournisseur d’un autre']
    )

    const clerkRows = await readSheet(
      await bytesOf(client.get('/contacts/export.xlsx?role=supplier').loginAs(clerk))
    )
    const clerkHeader = clerkRows[0] as string[]
    assert.notInclude(clerkHeader, 'creditLimit', 'field rules apply')
    assert.lengthOf(clerkRows, 2, 'their own supplier only')
    const row = clerkRows[1]
    // Text stays text: a formula-looking name is not a formula in the workbook.
    assert.equal(row[clerkHeader.indexOf('name')], '=HYPERLINK("x")')
    assert.equal(row[clerkHeader.indexOf('customFields.secteur')], 'BTP')

    const { user: reader } = await memberWithGrants(company.id, [
      { permission: 'contacts.contact.read', scope: 'all' },
    ])
    ;(await client.get('/contacts/export.xlsx').loginAs(reader)).assertStatus(403)
    ;(
      await client.get('/api/v1/contacts/export.xlsx').bearerToken(await tokenFor(reader))
    ).assertStatus(403)
  })
})
