import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import {
  importCheckValidator,
  importListValidator,
  importMappingValidator,
  importRowsValidator,
} from '#validators/imports'

const ImportsController = () => import('#controllers/imports_controller')

/*
 * CSV / XLSX imports of the modules' import kinds. The permissions depend on
 * the kind (its manifest declaration), so these routes are open to any
 * member and the import service checks the kind's permissions on every call
 * (403) and that the import is the caller's own (404).
 */
const id = { match: /^\d+$/, cast: (value: string) => Number(value) }

router
  .group(() => {
    router.get('/imports', [ImportsController, 'index']).as('index')
    router.post('/imports/:kind', [ImportsController, 'upload']).as('upload')
    router.get('/imports/:id', [ImportsController, 'show']).where('id', id).as('show')
    router.get('/imports/:id/status', [ImportsController, 'status']).where('id', id).as('status')
    router
      .put('/imports/:id/mapping', [ImportsController, 'saveMapping'])
      .where('id', id)
      .as('save_mapping')
    router.post('/imports/:id/check', [ImportsController, 'check']).where('id', id).as('check')
    router.post('/imports/:id/apply', [ImportsController, 'apply']).where('id', id).as('apply')
  })
  .as('imports')
  .use([...webAuthStack(), can('authenticated')])

const COUNTS = '`{ create, update, refuse, excluded }`'
const ID = { id: 'The import id' }

router
  .group(() => {
    apiDoc(
      router.get('/api/v1/imports/kinds', [ImportsController, 'apiKinds']).as('api.imports.kinds'),
      {
        summary: 'The import kinds of enabled modules the caller may run',
        responses: { 200: '`{ data: [{ kind, module, label, description }] }`' },
      }
    )
    apiDoc(router.get('/api/v1/imports', [ImportsController, 'apiIndex']).as('api.imports.index'), {
      summary: "The caller's imports in the current company, latest first (keyset-paginated, 20)",
      query: importListValidator,
      responses: { 200: '`{ data: Import[], meta: { nextCursor } }`' },
    })
    apiDoc(
      router
        .post('/api/v1/imports/:kind', [ImportsController, 'apiUpload'])

        .as('api.imports.upload'),
      {
        summary: 'Uploads a CSV or XLSX file for an import kind (multipart/form-data: `file`)',
        description:
          'CSV separated by `;`, `,` or tab, UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252; XLSX (first sheet). At most 10 MB and 50 000 rows: otherwise a 422 on `file`. The mapping is pre-filled: the one last used for a file with the same columns, else guessed from the column titles. 403 without the kind’s permission and the module’s create or update permission; 404 for an unknown kind or a disabled module.',
        params: { kind: 'The import kind, `<module>.<name>`, e.g. `contacts.contacts`' },
        responses: {
          201: '`{ data: { id, kind, headers, samples, mapping, fields, status, rowCount, mappingRemembered } }`',
        },
      }
    )
    apiDoc(
      router
        .get('/api/v1/imports/:id', [ImportsController, 'apiShow'])
        .where('id', id)
        .as('api.imports.show'),
      {
        summary: 'One import: its fields, columns, mapping, status and counts',
        params: ID,
        responses: { 200: '`{ data: Import }`' },
      }
    )
    apiDoc(
      router
        .get('/api/v1/imports/:id/status', [ImportsController, 'status'])
        .where('id', id)
        .as('api.imports.status'),
      {
        summary: 'Where an import stands: status, counts and the running phase’s progress',
        description:
          'Poll it while a dry run or an apply runs: `progress` is `{ phase, done, total, finished? }`.',
        params: ID,
        responses: { 200: '`{ data: { id, status, counts, progress } }`' },
      }
    )
    apiDoc(
      router
        .put('/api/v1/imports/:id/mapping', [ImportsController, 'apiSaveMapping'])
        .where('id', id)
        .as('api.imports.save_mapping'),
      {
        summary: 'Sets which column feeds which field (remembered for files with the same columns)',
        description:
          '`{ "mapping": { "name": "Raison sociale", "email": null } }`: null or absent leaves a field out. An unknown field or column, or a column used twice, is a 422 on `mapping.<field>`. The dry run must run again; 409 once applied.',
        body: importMappingValidator,
        params: ID,
        responses: { 200: '`{ data: { mapping } }`', 409: 'Applied or being applied' },
      }
    )
    apiDoc(
      router
        .post('/api/v1/imports/:id/check', [ImportsController, 'apiCheck'])
        .where('id', id)
        .as('api.imports.check'),
      {
        summary: 'Dry run: what each row would create, update or refuse, and why; writes nothing',
        description:
          '`excluded` (file line numbers, the header being line 1) replaces the lines left out. The rows’ verdicts are listed by `GET …/rows`.',
        body: importCheckValidator,
        params: ID,
        responses: { 200: `\`{ data: ${COUNTS} }\``, 409: 'Applied or being applied' },
      }
    )
    apiDoc(
      router
        .get('/api/v1/imports/:id/rows', [ImportsController, 'apiRows'])
        .where('id', id)
        .as('api.imports.rows'),
      {
        summary: "The dry run's verdict per row, by line (keyset-paginated, 50 by default)",
        query: importRowsValidator,
        params: ID,
        responses: {
          200: '`{ data: [{ line, action, recordId, problems: [{ field, rule, message }] }], meta: { nextCursor } }`',
        },
      }
    )
    apiDoc(
      router
        .post('/api/v1/imports/:id/apply', [ImportsController, 'apiApply'])
        .where('id', id)
        .as('api.imports.apply'),
      {
        summary: 'Applies a checked import in one transaction (all rows or none)',
        description:
          'The rows are checked again first: if any is refused the whole import is refused with a 422 on `rows` and the new verdicts are stored. 409 before a dry run, while applying or once applied.',
        params: ID,
        responses: { 200: `\`{ data: ${COUNTS} }\``, 409: 'Not checked, being applied or applied' },
      }
    )
  })
  .use([...apiStack(), can('authenticated')])
