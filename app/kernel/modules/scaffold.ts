import { MODULE_NAME_PATTERN } from './paths.js'

/**
 * Names a new module may not take: its pages mount at `/<name>`, so a name
 * that is already a kernel path would shadow it (or be shadowed), and its
 * texts are the `<name>.*` namespace, so a kernel translation file's name
 * would mix the two.
 */
export const RESERVED_MODULE_NAMES = [
  // The live notification stream (transmit's paths)
  '__transmit',
  'admin',
  'api',
  'app',
  'assets',
  'attachments',
  'audit',
  'auth',
  'company',
  'custom_fields',
  'dashboard',
  'dev',
  'errors',
  'health',
  'history',
  'imports',
  'jobs',
  'kernel',
  'lists',
  'locale',
  'login',
  'logout',
  'mfa',
  'module_settings',
  'modules',
  'notifications',
  'numbering',
  'password',
  'passwords',
  'pdf',
  'profile',
  'public',
  'roles',
  'settings',
  'setup',
  'shell',
  'tokens',
  'users',
  'validator',
  'workflows',
]

/**
 * The longest module name: the module's schema table
 * (`adonis_schema_<name>_versions`) must fit PostgreSQL's 63-character limit.
 */
export const MODULE_NAME_MAX_LENGTH = 40

/** Why `name` cannot be a new module's name, or null when it can. */
export function invalidModuleName(name: string): string | null {
  if (!MODULE_NAME_PATTERN.test(name)) {
    return `Invalid module name "${name}": use lowercase letters, digits, "-" or "_", starting with a letter`
  }
  if (name.length > MODULE_NAME_MAX_LENGTH) {
    return `Invalid module name "${name}": at most ${MODULE_NAME_MAX_LENGTH} characters`
  }
  if (RESERVED_MODULE_NAMES.includes(name)) {
    return `Invalid module name "${name}": it is reserved by the kernel (${RESERVED_MODULE_NAMES.join(', ')})`
  }
  return null
}

/** The spellings of a module name the generated files use. */
export function moduleNames(name: string) {
  const words = name.split(/[-_]+/).filter(Boolean)
  const title = words.join(' ')
  return {
    name,
    /** For SQL identifiers: `fleet-cars` → `fleet_cars` */
    snake: words.join('_'),
    /** For labels: `fleet-cars` → `Fleet cars` */
    title: title.charAt(0).toUpperCase() + title.slice(1),
    table: `${words.join('_')}_items`,
    readPermission: `${name}.item.read`,
  }
}

/**
 * The files of a new, working module: manifest, public surface, routes, a
 * controller and model over one table, a migration, a page, translations, a
 * README and a functional test. Keys are paths relative to the module folder.
 */
export function moduleSkeleton(name: string): Record<string, string> {
  const n = moduleNames(name)
  return {
    'module.ts': manifestFile(n),
    'constants.ts': constantsFile(n),
    'index.ts': indexFile(n),
    'routes.ts': routesFile(n),
    'controllers/items_controller.ts': controllerFile(n),
    'models/item.ts': modelFile(),
    [`database/migrations/1000_create_${n.table}_table.ts`]: migrationFile(n),
    'pages/index.svelte': pageFile(n),
    [`lang/fr/${name}.json`]: json({
      title: n.title,
      empty: 'Aucun élément pour le moment.',
      column_name: 'Nom',
      column_created: 'Créé le',
      next_page: 'Page suivante',
    }),
    [`lang/en/${name}.json`]: json({
      title: n.title,
      empty: 'No items yet.',
      column_name: 'Name',
      column_created: 'Created',
      next_page: 'Next page',
    }),
    'README.md': readmeFile(n),
    [`tests/functional/${n.snake}_items.spec.ts`]: testFile(n),
  }
}

type Names = ReturnType<typeof moduleNames>

function json(value: unknown) {
  return `${JSON.stringify(value, null, 2)}\n`
}

function manifestFile(n: Names) {
  return `import { defineModule } from '#kernel/modules/define_module'
import { PERMISSIONS } from './constants.js'

export default defineModule({
  name: '${n.name}',
  version: '0.1.0',
  label: { fr: '${n.title}', en: '${n.title}' },
  description: { fr: 'Module ${n.title}', en: '${n.title} module' },
  icon: 'box',
  depends: [],
  integrates: [],
  permissions: [
    {
      key: PERMISSIONS.itemRead,
      label: { fr: 'Voir les éléments', en: 'View items' },
      defaults: ['admin', 'manager', 'staff'],
    },
  ],
  menu: [
    {
      key: '${n.name}',
      label: { fr: '${n.title}', en: '${n.title}' },
      href: '/${n.name}',
      icon: 'box',
      permission: PERMISSIONS.itemRead,
      order: 100,
    },
  ],
  routes: () => import('./routes.js'),
})
`
}

function constantsFile(n: Names) {
  return `/** Every permission the module checks, as declared in module.ts. */
export const PERMISSIONS = {
  itemRead: '${n.readPermission}',
} as const

/** The module's table. */
export const ITEMS_TABLE = '${n.table}'
`
}

function indexFile(n: Names) {
  return `/**
 * The ${n.name} module's public surface. Other modules import from this file
 * only, and only if their manifest depends on or integrates '${n.name}'.
 */
export { PERMISSIONS as ${constantName(n)}_PERMISSIONS } from './constants.js'
`
}

function constantName(n: Names) {
  return n.snake.toUpperCase()
}

function routesFile(n: Names) {
  return `import { defineRoutes } from '#kernel/modules/define_module'
import { can } from '#start/stacks'
import { PERMISSIONS } from './constants.js'

const ItemsController = () => import('./controllers/items_controller.js')

/** Pages under /${n.name}, JSON under /api/v1/${n.name}; each route declares its permission. */
export default defineRoutes({
  web(router) {
    router
      .get('/', [ItemsController, 'index'])
      .use(can(PERMISSIONS.itemRead))
      .as('${n.name}.items.index')
  },
  api(router) {
    router
      .get('/items', [ItemsController, 'list'])
      .use(can(PERMISSIONS.itemRead))
      .as('api.${n.name}.items.index')
  },
})
`
}

function controllerFile(n: Names) {
  return `import type { HttpContext } from '@adonisjs/core/http'
import { keysetPage } from '#kernel/pagination/keyset'
import Item from '../models/item.js'
import { PERMISSIONS } from '../constants.js'

const PAGE_SIZE = 50

/**
 * Items of the current company within the user's record scope (all, team or
 * own), by name, one keyset page at a time.
 */
async function visibleItems({ access, request }: HttpContext) {
  const query = access.scope(Item.query(), PERMISSIONS.itemRead).select('id', 'name', 'created_at')
  const cursor = request.input('cursor') as string | undefined
  const page = await keysetPage<Item>(query, {
    column: 'name',
    valueOf: (item) => item.name,
    direction: 'asc',
    limit: PAGE_SIZE,
    cursor,
  })
  return {
    data: page.data.map((item) => ({
      id: item.id,
      name: item.name,
      createdAt: item.createdAt.toISO(),
    })),
    nextCursor: page.nextCursor,
  }
}

export default class ItemsController {
  /** GET /${n.name}: the page */
  async index(ctx: HttpContext) {
    const page = await visibleItems(ctx)
    return ctx.inertia.render('${n.name}/index', { items: page.data, nextCursor: page.nextCursor })
  }

  /** GET /api/v1/${n.name}/items: the same list, as JSON */
  async list(ctx: HttpContext) {
    const page = await visibleItems(ctx)
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }
}
`
}

function modelFile() {
  return `import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { ITEMS_TABLE } from '../constants.js'

/** A business record: it belongs to a company, an owner and a team, which record scopes use. */
export default class Item extends BaseModel {
  static table = ITEMS_TABLE

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number

  @column()
  declare name: string

  @column()
  declare ownerId: number | null

  @column()
  declare teamId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
`
}

function migrationFile(n: Names) {
  return `import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = '${n.table}'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.integer('company_id').unsigned().notNullable().references('id').inTable('companies')
      table.string('name', 200).notNullable()
      table.integer('owner_id').unsigned().nullable().references('id').inTable('users')
      table.integer('team_id').unsigned().nullable().references('id').inTable('teams')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()

      // Keyset pagination (by name) and record scopes (own / team)
      table.index(['company_id', 'name', 'id'], '${n.table}_company_name_idx')
      table.index(['company_id', 'owner_id'], '${n.table}_company_owner_idx')
      table.index(['company_id', 'team_id'], '${n.table}_company_team_idx')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
`
}

function pageFile(n: Names) {
  return `<script lang="ts">
  import { inertia } from '@inertiajs/svelte'
  import AppLayout from '~/layouts/AppLayout.svelte'
  import { t, formatDate } from '~/lib/i18n'

  type Item = { id: number; name: string; createdAt: string }

  let { items, nextCursor }: { items: Item[]; nextCursor: string | null } = $props()
</script>

<AppLayout title={t('${n.name}.title')}>
  {#if items.length === 0}
    <div class="card p-6 text-slate-600">{t('${n.name}.empty')}</div>
  {:else}
    <div class="card overflow-x-auto">
      <table class="w-full text-sm">
        <thead class="text-left text-slate-500">
          <tr>
            <th class="px-4 py-2 font-medium">{t('${n.name}.column_name')}</th>
            <th class="px-4 py-2 font-medium">{t('${n.name}.column_created')}</th>
          </tr>
        </thead>
        <tbody>
          {#each items as item (item.id)}
            <tr class="border-t border-slate-100">
              <td class="px-4 py-2">{item.name}</td>
              <td class="px-4 py-2">{formatDate(item.createdAt)}</td>
            </tr>
          {/each}
        </tbody>
      </table>
    </div>
    {#if nextCursor}
      <a
        href={\`/${n.name}?cursor=\${encodeURIComponent(nextCursor)}\`}
        use:inertia
        class="btn btn-secondary mt-4">{t('${n.name}.next_page')}</a
      >
    {/if}
  {/if}
</AppLayout>
`
}

function readmeFile(n: Names) {
  return `# ${n.title}

What this module does, for whom, and how to use it: describe it here.

## Permissions

| permission | granted by default to |
|---|---|
| \`${n.readPermission}\` | admin, manager, staff |

## Routes

| route | permission |
|---|---|
| \`GET /${n.name}\` (page \`${n.name}/index\`) | \`${n.readPermission}\` |
| \`GET /api/v1/${n.name}/items\` | \`${n.readPermission}\` |

## Tables

\`${n.table}\`: one row per item, with \`company_id\`, \`owner_id\` and \`team_id\` for record scopes.

## Working on it

\`\`\`sh
node ace module:enable ${n.name}       # runs its migrations, grants its default permissions
node ace test functional --files=modules/${n.name}/tests/functional/${n.snake}_items.spec.ts
\`\`\`

Other modules may import only \`index.ts\`, and only if they depend on or integrate \`${n.name}\`.
`
}

function testFile(n: Names) {
  return `import { test } from '@japa/runner'
import { companyWithUser, tokenFor } from '#tests/helpers/fixtures'
import Item from '../../models/item.js'

function addItem(companyId: number, name: string) {
  return Item.create({ companyId, name })
}

test.group('${n.title}: items', () => {
  test('staff see the items page', async ({ client }) => {
    const { user, company } = await companyWithUser('staff')
    await addItem(company.id, 'First item')
    const response = await client.get('/${n.name}').loginAs(user).withInertia()
    response.assertStatus(200)
    response.assertInertiaComponent('${n.name}/index')
    response.assertInertiaPropsContains({ items: [{ name: 'First item' }] })
  })

  test("the API lists the current company's items only", async ({ client, assert }) => {
    const ours = await companyWithUser('manager')
    const theirs = await companyWithUser('manager')
    await addItem(ours.company.id, 'Ours')
    await addItem(theirs.company.id, 'Theirs')
    const response = await client
      .get('/api/v1/${n.name}/items')
      .bearerToken(await tokenFor(ours.user))
    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((item: { name: string }) => item.name),
      ['Ours']
    )
  })

  test('a role without ${n.readPermission} is refused', async ({ client }) => {
    const { user } = await companyWithUser('technician')
    const response = await client
      .get('/api/v1/${n.name}/items')
      .bearerToken(await tokenFor(user))
    response.assertStatus(403)
  })
})
`
}
