import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { companyWithUser } from '#tests/helpers/fixtures'
import { contactsCsv, tmpFile } from '#tests/helpers/imports'
import { resolveAccess } from '#kernel/security/access'
import { parseImportFile } from '#kernel/imports/parse'
import { guessMapping } from '#kernel/imports/mapping'
import {
  applyImport,
  checkImport,
  findImportKind,
  importContext,
  ImportNotReady,
} from '#kernel/imports/pipeline'

const KIND = 'contacts.contacts'

async function contactCount(companyId: number) {
  const row = await db.from('contacts').where('company_id', companyId).count('* as n').first()
  return Number(row.n)
}

async function setup(role = 'admin') {
  const { company, user } = await companyWithUser(role)
  const access = (await resolveAccess(user.id, company.id))!
  const kind = findImportKind(KIND)!
  const { default: handler } = await kind.declaration.load()
  return { company, user, access, kind, handler, ctx: importContext(access, 'fr') }
}

test.group('Import pipeline: the 10 000-row file', () => {
  test('the dry run lists exactly the 3 bad rows with their reasons; after fixing, all 10 000 rows are imported in one transaction with progress', async ({
    assert,
  }) => {
    const { company, kind, handler, ctx } = await setup()
    const good = (i: number) => [
      `Entreprise imp ${i}`,
      'Entreprise',
      `contact${i}@imp.example.fr`,
      'oui',
      `${i} rue des Tuiles`,
      '35000',
      'Rennes',
      '45',
    ]
    const bad = {
      // Spreadsheet lines 102, 5002 and 10001 (the header is line 1)
      101: [...good(101).slice(0, 2), 'pas-une-adresse', ...good(101).slice(3)],
      5001: [...good(5001).slice(0, 7), '90'],
      10000: ['', ...good(10000).slice(1)],
    }
    const broken = await parseImportFile(Buffer.from(contactsCsv(10_000, bad), 'utf8'))
    assert.equal(broken.rows.length, 10_000)
    const mapping = guessMapping(kind.declaration.fields, broken.headers)
    assert.deepEqual(mapping, {
      name: 'Raison sociale',
      kind: 'Type',
      email: 'E-mail',
      isCustomer: 'Client',
      line1: 'Adresse',
      postalCode: 'CP',
      city: 'Ville',
      paymentTermsDays: 'Délai de paiement (jours)',
    })

    const checkProgress: number[] = []
    const dry = await checkImport(ctx, kind, handler, broken, mapping, {
      progress: (phase, done, total) => {
        assert.equal(phase, 'check')
        assert.equal(total, 10_000)
        checkProgress.push(done)
      },
    })
    assert.deepEqual(dry.counts, { create: 9997, update: 0, refuse: 3, excluded: 0 })
    const refused = dry.rows.filter((r) => r.action === 'refuse')
    assert.deepEqual(
      refused.map((r) => ({ line: r.line, problems: r.problems.map((p) => [p.field, p.message]) })),
      [
        { line: 102, problems: [['email', 'Adresse e-mail invalide']] },
        { line: 5002, problems: [['paymentTermsDays', 'Doit être au plus 60']] },
        { line: 10001, problems: [['name', 'Valeur obligatoire']] },
      ]
    )
    assert.equal(checkProgress.at(-1), 10_000)
    assert.equal(await contactCount(company.id), 0, 'a dry run writes nothing')

    // Applying a file with refused rows is refused as a whole.
    await assert.rejects(() => applyImport(ctx, kind, handler, dry), ImportNotReady as any)
    assert.equal(await contactCount(company.id), 0)

    const fixed = await parseImportFile(Buffer.from(contactsCsv(10_000), 'utf8'))
    const report = await checkImport(ctx, kind, handler, fixed, mapping)
    assert.deepEqual(report.counts, { create: 10_000, update: 0, refuse: 0, excluded: 0 })
    const applyProgress: number[] = []
    const transactionsBefore = await auditCount(company.id)
    await applyImport(ctx, kind, handler, report, {
      progress: (phase, done) => phase === 'apply' && applyProgress.push(done),
    })
    assert.equal(await contactCount(company.id), 10_000)
    assert.isAbove(applyProgress.length, 10, 'progress is reported as rows are written')
    assert.deepEqual(
      applyProgress,
      [...applyProgress].sort((a, b) => a - b),
      'progress only goes forward'
    )
    assert.equal(applyProgress.at(-1), 10_000)

    const event = await db
      .from('audit_logs')
      .where({ company_id: company.id, event: 'import.applied' })
      .first()
    assert.deepInclude(JSON.parse(event.meta), {
      kind: KIND,
      create: 10_000,
      update: 0,
      refuse: 0,
    })
    // One `created` entry per contact, in the same transaction as the import's entry.
    assert.equal((await auditCount(company.id)) - transactionsBefore, 10_001)
    const sample = await db
      .from('contacts')
      .where({ company_id: company.id, email: 'contact5001@imp.example.fr' })
      .first()
    assert.equal(sample.name, 'Entreprise imp 5001')
    assert.equal(sample.payment_terms_days, 45)
    assert.match(sample.code, /^CL-\d{5}$/)
    assert.deepEqual(JSON.parse(sample.addresses), [
      {
        type: 'billing',
        line1: '5001 rue des Tuiles',
        postalCode: '35000',
        city: 'Rennes',
        country: 'FR',
      },
    ])
  }).timeout(180_000)

  test('a row failing while being written rolls the whole import back', async ({ assert }) => {
    const { company, kind, handler, ctx } = await setup()
    const table = await parseImportFile(Buffer.from(contactsCsv(300), 'utf8'))
    const report = await checkImport(
      ctx,
      kind,
      handler,
      table,
      guessMapping(kind.declaration.fields, table.headers)
    )
    const failing = {
      ...handler,
      apply: async (context: any, rows: any[]) => {
        await handler.apply(context, rows.slice(0, 250))
        throw new Error('disk full')
      },
    }
    await assert.rejects(() => applyImport(ctx, kind, failing, report), 'disk full')
    assert.equal(await contactCount(company.id), 0)
    assert.isNull(
      await db.from('audit_logs').where({ company_id: company.id, event: 'import.applied' }).first()
    )
  }).timeout(60_000)
})

async function auditCount(companyId: number) {
  const row = await db.from('audit_logs').where('company_id', companyId).count('* as n').first()
  return Number(row.n)
}

test.group('node ace import:run', () => {
  test('a process killed with SIGKILL in the middle of applying leaves the table unchanged', async ({
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    // One contact already there, which the file does not touch.
    await db.table('contacts').insert({
      company_id: company.id,
      code: 'EXIST-1',
      kind: 'company',
      name: 'Déjà là',
      sort_name: 'deja la',
      search_text: 'deja la',
      addresses: '[]',
      tags: '[]',
      created_at: new Date(),
      updated_at: new Date(),
    })
    const file = await tmpFile('kill.csv', contactsCsv(20_000, {}, 'kill'))
    const child = spawn(
      process.execPath,
      [
        app.makePath('ace.js'),
        'import:run',
        KIND,
        file,
        '--company',
        String(company.id),
        '--as',
        user.email,
      ],
      { cwd: app.makePath(), env: process.env, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let output = ''
    const killedAt = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no apply progress:\n${output}`)), 150_000)
      child.stderr.on('data', (chunk) => (output += chunk))
      child.stdout.on('data', (chunk) => {
        output += chunk
        const match = /progress apply (\d+)\/(\d+)/g
        let m: RegExpExecArray | null
        while ((m = match.exec(output))) {
          const done = Number(m[1])
          // Well into the transaction, far from its end.
          if (done > 0 && done < Number(m[2]) / 2) {
            clearTimeout(timer)
            child.kill('SIGKILL')
            resolve(m[0])
            return
          }
        }
      })
      child.on('exit', () => reject(new Error(`exited before being killed:\n${output}`)))
    })
    await new Promise((resolve) => child.once('exit', resolve).once('close', resolve))
    assert.equal(child.signalCode, 'SIGKILL')
    assert.match(killedAt, /^progress apply [1-9]/)
    assert.equal(await contactCount(company.id), 1, 'only the contact that was there before')
    assert.isNull(
      await db.from('audit_logs').where({ company_id: company.id, event: 'import.applied' }).first()
    )
    // The database is usable again at once: a write goes through.
    await db
      .from('contacts')
      .where({ company_id: company.id, code: 'EXIST-1' })
      .update({ name: 'Toujours là' })
  }).timeout(200_000)

  test('--dry-run reports refused rows and writes nothing; a clean run imports and reports counts', async ({
    assert,
  }) => {
    const { company, user } = await companyWithUser('admin')
    const run = (file: string, ...extra: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            app.makePath('ace.js'),
            'import:run',
            KIND,
            file,
            '--company',
            String(company.id),
            '--as',
            user.email,
            ...extra,
          ],
          { cwd: app.makePath(), env: process.env }
        )
        let out = ''
        child.stdout.on('data', (c) => (out += c))
        child.stderr.on('data', (c) => (out += c))
        child.on('close', (code) => resolve({ code, out }))
      })
    const bad = await tmpFile(
      'cli-bad.csv',
      contactsCsv(
        40,
        { 7: ['Sans e-mail valide', 'Entreprise', 'x@', 'oui', '', '', '', '30'] },
        'cli'
      )
    )
    const dry = await run(bad, '--dry-run')
    assert.equal(dry.code, 0, dry.out)
    assert.include(dry.out, 'Dry run: 39 to create, 0 to update, 1 refused')
    assert.include(dry.out, 'line 8: email: Adresse e-mail invalide')
    assert.include(dry.out, 'progress check 40/40')
    assert.equal(await contactCount(company.id), 0)

    const refused = await run(bad)
    assert.equal(refused.code, 1)
    assert.include(refused.out, 'Nothing imported')
    assert.equal(await contactCount(company.id), 0)

    const good = await tmpFile('cli-good.csv', contactsCsv(40, {}, 'cli'))
    const applied = await run(good)
    assert.equal(applied.code, 0, applied.out)
    assert.include(applied.out, 'Imported: 40 created, 0 updated')
    assert.include(applied.out, 'progress apply 40/40')
    assert.equal(await contactCount(company.id), 40)
  }).timeout(120_000)
})
