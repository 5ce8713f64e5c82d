import { test } from '@japa/runner'
import writeXlsxFile from 'write-excel-file/node'
import {
  parseImportFile,
  decodeText,
  detectDelimiter,
  ImportFileError,
  MAX_IMPORT_BYTES,
} from '#kernel/imports/parse'
import { typeCell, scaledInteger } from '#kernel/imports/cells'
import { guessMapping, headersSignature, usableMapping } from '#kernel/imports/mapping'
import type { ImportField } from '#kernel/imports/types'

/** Windows-1252 bytes of a Latin-1 text (é = 0xE9, € = 0x80), as French Excel saves a CSV. */
function cp1252(text: string) {
  return Uint8Array.from([...text].map((c) => (c === '€' ? 0x80 : c.charCodeAt(0))))
}

test.group('Import files: encodings and separators', () => {
  test('UTF-8 with a BOM, comma separated', async ({ assert }) => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('Nom,Ville\n"Dupont, fils",Sète\n', 'utf8'),
    ])
    const table = await parseImportFile(bytes)
    assert.equal(table.encoding, 'utf-8')
    assert.equal(table.delimiter, ',')
    assert.deepEqual(table.headers, ['Nom', 'Ville'])
    assert.deepEqual(table.rows, [{ line: 2, cells: ['Dupont, fils', 'Sète'] }])
  })

  test('UTF-8 without a BOM, semicolon separated', async ({ assert }) => {
    const table = await parseImportFile(Buffer.from('Nom;Ville\r\nÉlec Ouest;Orléans\r\n', 'utf8'))
    assert.equal(table.encoding, 'utf-8')
    assert.equal(table.delimiter, ';')
    assert.deepEqual(table.rows[0].cells, ['Élec Ouest', 'Orléans'])
  })

  test('Windows-1252, as French Excel writes it', async ({ assert }) => {
    const table = await parseImportFile(
      cp1252('Nom;Encours\r\nSociété Générale d’Électricité;1 200 €\r\n'.replace('’', "'"))
    )
    assert.equal(table.encoding, 'windows-1252')
    assert.equal(table.delimiter, ';')
    assert.deepEqual(table.rows[0].cells, ["Société Générale d'Électricité", '1 200 €'])
  })

  test('UTF-16 with a BOM, tab separated ("Unicode text")', async ({ assert }) => {
    const text = 'Nom\tVille\r\nÀ la bonne tuile\tBrest\r\n'
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const table = await parseImportFile(bytes)
    assert.equal(table.encoding, 'utf-16le')
    assert.equal(table.delimiter, '\t')
    assert.deepEqual(table.rows[0].cells, ['À la bonne tuile', 'Brest'])
  })

  test('separators inside quotes do not count; ";" wins a tie', ({ assert }) => {
    assert.equal(detectDelimiter('"a;b;c",d,e\n1,2,3'), ',')
    assert.equal(detectDelimiter('a;b,c\n'), ';')
    assert.equal(decodeText(Uint8Array.from([0x43, 0x61, 0x66, 0xe9])).text, 'Café')
  })

  test('blank rows are skipped, lines keep their spreadsheet numbers', async ({ assert }) => {
    const table = await parseImportFile(Buffer.from('\nNom;Ville\n;\nA;B\n\nC;D\n'))
    assert.deepEqual(table.headers, ['Nom', 'Ville'])
    assert.deepEqual(
      table.rows.map((r) => r.line),
      [4, 6]
    )
  })

  test('an XLSX workbook: first sheet, numbers, booleans and dates kept typed', async ({
    assert,
  }) => {
    const buffer = await writeXlsxFile([
      [{ value: 'Nom' }, { value: 'Encours' }, { value: 'Client' }, { value: 'Depuis' }],
      [
        { value: 'Toitures Martin' },
        { value: 1234.5 },
        { value: true },
        { value: new Date(Date.UTC(2026, 10, 22)), format: 'dd/mm/yyyy' },
      ],
    ]).toBuffer()
    const table = await parseImportFile(buffer)
    assert.equal(table.format, 'xlsx')
    assert.deepEqual(table.headers, ['Nom', 'Encours', 'Client', 'Depuis'])
    const [name, credit, customer, since] = table.rows[0].cells
    assert.equal(name, 'Toitures Martin')
    assert.equal(credit, 1234.5)
    assert.equal(customer, true)
    assert.instanceOf(since, Date)
    assert.deepEqual(
      typeCell({ key: 'd', label: { fr: 'd', en: 'd' }, type: 'date' }, since),
      typeCell({ key: 'd', label: { fr: 'd', en: 'd' }, type: 'date' }, '22/11/2026')
    )
  })

  test('refusals: empty, too large, old .xls, binary, no header', async ({ assert }) => {
    const reason = async (bytes: Uint8Array) => {
      try {
        await parseImportFile(bytes)
        return 'read'
      } catch (error) {
        return error instanceof ImportFileError ? error.reason : String(error)
      }
    }
    assert.equal(await reason(new Uint8Array()), 'empty')
    assert.equal(await reason(new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x41)), 'too_large')
    assert.equal(await reason(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1])), 'xls')
    assert.equal(
      await reason(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00])),
      'unreadable'
    )
    assert.equal(await reason(Buffer.from('\n;;\n\n')), 'no_header')
    assert.equal(await reason(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), 'unreadable')
  })
})

const field = (type: ImportField['type'], extra: Partial<ImportField> = {}): ImportField => ({
  key: 'f',
  label: { fr: 'F', en: 'F' },
  type,
  ...extra,
})

test.group('Import files: typing cells', () => {
  test('money and decimals are exact scaled integers, never rounded', ({ assert }) => {
    assert.deepEqual(typeCell(field('money'), '1 234,50 €'), { value: 123450 })
    assert.deepEqual(typeCell(field('money'), '1.234,5'), { value: 123450 })
    assert.deepEqual(typeCell(field('money'), '1,234.5'), { value: 123450 })
    assert.deepEqual(typeCell(field('money'), 0.1 + 0.2), { value: 30 })
    assert.deepEqual(typeCell(field('money'), '12,345'), { rule: 'precision', data: { scale: 2 } })
    assert.deepEqual(typeCell(field('decimal', { scale: 3 }), '2,5'), { value: 2500 })
    assert.deepEqual(typeCell(field('integer'), '12,5'), { rule: 'integer' })
    assert.deepEqual(typeCell(field('integer', { max: 60 }), '90'), {
      rule: 'max',
      data: { max: 60 },
    })
    assert.deepEqual(typeCell(field('money', { min: 0 }), '-1'), { rule: 'min', data: { min: 0 } })
    assert.equal(scaledInteger('abc', 2), 'invalid')
  })

  test('booleans, dates, e-mails, options and lists', ({ assert }) => {
    assert.deepEqual(typeCell(field('boolean'), 'Oui'), { value: true })
    assert.deepEqual(typeCell(field('boolean'), 'non'), { value: false })
    assert.deepEqual(typeCell(field('boolean'), 'peut-être'), { rule: 'boolean' })
    assert.deepEqual(typeCell(field('date'), '5/1/2026'), { value: '2026-01-05' })
    assert.deepEqual(typeCell(field('date'), '2026-02-30'), { rule: 'date' })
    assert.deepEqual(typeCell(field('email'), ' Anna@Example.FR '), { value: 'anna@example.fr' })
    assert.deepEqual(typeCell(field('email'), 'anna@'), { rule: 'email' })
    const kind = field('enum', { options: { company: ['Société'], person: ['Particulier'] } })
    assert.deepEqual(typeCell(kind, 'SOCIETE'), { value: 'company' })
    assert.deepEqual(typeCell(kind, 'autre'), {
      rule: 'enum',
      data: { options: 'company, person' },
    })
    assert.deepEqual(typeCell(field('list'), 'a, b; a|c'), { value: ['a', 'b', 'c'] })
    assert.deepEqual(typeCell(field('text'), '   '), { empty: true })
    assert.deepEqual(typeCell(field('text', { maxLength: 3 }), 'abcd'), {
      rule: 'maxLength',
      data: { max: 3 },
    })
  })

  test('mapping guessed from titles without case, accents or punctuation', ({ assert }) => {
    const fields: ImportField[] = [
      field('text', { key: 'name', label: { fr: 'Nom', en: 'Name' } }),
      field('text', { key: 'siret', label: { fr: 'SIRET', en: 'SIRET' }, aliases: ['n° siret'] }),
      field('email', {
        key: 'email',
        label: { fr: 'E-mail', en: 'E-mail' },
        aliases: ['courriel'],
      }),
    ]
    const headers = ['N° SIRET', 'NOM', 'Courriel', 'Autre']
    assert.deepEqual(guessMapping(fields, headers), {
      siret: 'N° SIRET',
      name: 'NOM',
      email: 'Courriel',
    })
    assert.deepEqual(
      usableMapping(fields, headers, { name: 'Autre', nope: 'NOM', siret: 'Absent' }),
      {
        name: 'Autre',
      }
    )
    assert.equal(headersSignature(['N° SIRET', 'Nom']), headersSignature(['n siret', 'NOM']))
  })
})
