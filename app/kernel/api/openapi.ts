import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import registry from '#kernel/modules/registry'
import { routeTable, type RouteEntry } from './route_table.js'
import { docOf, toSchema, type ApiDoc, type ApiResponseDoc, type JsonSchema } from './docs.js'

/** Every route under this prefix is part of the API and of its document. */
export const API_PREFIX = '/api/v1'

/** The tag of the kernel's own routes; module routes are tagged with their module's name. */
export const KERNEL_TAG = 'kernel'

const OPERATION_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE']
const BODY_METHODS = ['POST', 'PUT', 'PATCH']

const json = (schema: JsonSchema) => ({ 'application/json': { schema } })

const components = {
  securitySchemes: {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'A personal access token, sent as `Authorization: Bearer <token>`.',
    },
  },
  parameters: {
    CompanyId: {
      name: 'X-Company-Id',
      in: 'header',
      required: false,
      description:
        'The company the request works in. Defaults to the user’s current company; a company the user is not a member of answers 403.',
      schema: { type: 'integer', minimum: 1 },
    },
  },
  schemas: {
    Error: {
      type: 'object',
      required: ['errors'],
      properties: {
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
        requestId: { type: 'string', description: 'Present on 5xx: quote it when reporting' },
      },
    },
    ValidationError: {
      type: 'object',
      required: ['errors'],
      properties: {
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'rule', 'message'],
            properties: {
              field: { type: 'string', description: 'Dotted path of the offending field' },
              rule: { type: 'string', description: 'The rule that failed (e.g. required, enum)' },
              message: { type: 'string' },
              meta: { type: 'object' },
            },
          },
        },
      },
    },
  },
  responses: {
    Unauthorized: {
      description: 'No valid access token',
      content: json({ $ref: '#/components/schemas/Error' }),
    },
    Forbidden: {
      description: 'The user lacks the permission, or is not a member of the company',
      content: json({ $ref: '#/components/schemas/Error' }),
    },
    NotFound: {
      description: 'No such record in the user’s scope, or the module is disabled',
      content: json({ $ref: '#/components/schemas/Error' }),
    },
    ValidationFailed: {
      description: 'Invalid input: one entry per offending field',
      content: json({ $ref: '#/components/schemas/ValidationError' }),
    },
  },
}

/** The app's version from package.json (AdonisJS v7 no longer fills `app.version`). */
function appVersion(): string {
  try {
    return JSON.parse(readFileSync(app.makePath('package.json'), 'utf8')).version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

/** `/contacts/:id/people/:personId?` → `/contacts/{id}/people/{personId}` */
export function openApiPath(pattern: string) {
  return pattern.replace(/:([A-Za-z0-9_]+)\??/g, '{$1}').replace(/\*/g, '{wildcard}')
}

function pathParameters(entry: RouteEntry, doc: ApiDoc | undefined) {
  const names = [...openApiPath(entry.pattern).matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
  return names.map((name) => {
    const match: RegExp | undefined = entry.route.matchers[name]?.match
    // router.matchers.number() (`^[0-9]+$`) is an integer; any other matcher a pattern.
    const numeric = match && /^\^(\[0-9\]|\\d)\+\$$/.test(match.source)
    const schema: JsonSchema = numeric
      ? { type: 'integer', minimum: 0 }
      : match
        ? { type: 'string', pattern: match.source }
        : { type: 'string' }
    return {
      name,
      in: 'path',
      required: true,
      ...(doc?.params?.[name] ? { description: doc.params[name] } : {}),
      schema,
    }
  })
}

function queryParameters(doc: ApiDoc | undefined) {
  if (!doc?.query) return []
  const schema = toSchema(doc.query) as {
    properties?: Record<string, JsonSchema>
    required?: string[]
  }
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: (schema.required ?? []).includes(name),
    schema: property,
  }))
}

function operationId(entry: RouteEntry, method: string, used: Set<string>) {
  const base =
    entry.name && entry.methods.length === 1
      ? entry.name
      : `${method.toLowerCase()}${entry.pattern
          .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))
          .replace(/^./, (c) => c.toUpperCase())}`
  let id = base
  for (let i = 2; used.has(id); i++) id = `${base}_${i}`
  used.add(id)
  return id
}

function operation(entry: RouteEntry, method: string, usedIds: Set<string>) {
  const doc = docOf(entry.route)
  // The route-table test refuses a route without `can()`; should one slip
  // through, the document says so rather than guess.
  const permission = entry.permission ?? 'undeclared'
  const isPublic = permission === 'public'
  const takesBody = BODY_METHODS.includes(method)

  const responses: Record<string, unknown> = {}
  for (const [status, declared] of Object.entries(doc?.responses ?? {})) {
    const { description, schema, contentType } =
      typeof declared === 'string' ? ({ description: declared } as ApiResponseDoc) : declared
    // A refusal declared by its description alone has the API's error shape.
    const body = schema
      ? toSchema(schema)
      : contentType
        ? { type: 'string' }
        : Number(status) >= 400
          ? { $ref: `#/components/schemas/${status === '422' ? 'ValidationError' : 'Error'}` }
          : undefined
    responses[status] = {
      description,
      ...(body ? { content: { [contentType ?? 'application/json']: { schema: body } } } : {}),
    }
  }
  if (!Object.keys(responses).some((status) => status.startsWith('2'))) {
    responses['200'] = { description: 'OK', content: json({}) }
  }
  if (!isPublic) {
    responses['401'] ??= { $ref: '#/components/responses/Unauthorized' }
    // A permission refusal, or an X-Company-Id the user is not a member of.
    responses['403'] ??= { $ref: '#/components/responses/Forbidden' }
  }
  if (entry.module || /\{[^}]+\}/.test(openApiPath(entry.pattern))) {
    responses['404'] ??= { $ref: '#/components/responses/NotFound' }
  }
  if (doc?.body || doc?.query || takesBody) {
    responses['422'] ??= { $ref: '#/components/responses/ValidationFailed' }
  }

  const parameters = [
    ...pathParameters(entry, doc),
    ...queryParameters(doc),
    ...(isPublic ? [] : [{ $ref: '#/components/parameters/CompanyId' }]),
  ]

  return {
    'operationId': operationId(entry, method, usedIds),
    'summary': doc?.summary ?? entry.name ?? `${method} ${entry.pattern}`,
    ...(doc?.description ? { description: doc.description } : {}),
    'tags': [entry.module ?? KERNEL_TAG],
    'x-permission': permission,
    'security': isPublic ? [] : [{ bearer: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(doc?.body && takesBody
      ? { requestBody: { required: true, content: json(toSchema(doc.body)) } }
      : {}),
    responses,
    ...(doc?.deprecated ? { deprecated: true } : {}),
  }
}

/**
 * Builds the OpenAPI 3.1 document of every route under /api/v1, from the
 * route table (methods, paths, the `can()` permission, the module gate) and
 * the docs routes declare with `apiDoc()`. Every module on disk is listed,
 * enabled or not: the routes exist, and a disabled module's answer 404.
 */
export function buildOpenApi() {
  const paths: Record<string, Record<string, unknown>> = {}
  const usedIds = new Set<string>()
  const entries = routeTable()
    .filter((e) => e.domain === 'root')
    .filter((e) => e.pattern === API_PREFIX || e.pattern.startsWith(`${API_PREFIX}/`))
    .sort((a, b) => a.pattern.localeCompare(b.pattern))

  for (const entry of entries) {
    const path = openApiPath(entry.pattern)
    for (const method of entry.methods.filter((m) => OPERATION_METHODS.includes(m))) {
      paths[path] ??= {}
      paths[path][method.toLowerCase()] = operation(entry, method, usedIds)
    }
  }

  const moduleTags = new Set(entries.map((e) => e.module).filter(Boolean))
  return {
    openapi: '3.1.0',
    info: {
      title: 'Charpente API',
      version: appVersion(),
      description:
        'The JSON API: everything a user does in the pages, with a personal access token and the same permissions and record scopes. Each operation names the permission it needs in `x-permission` (`public`, `authenticated`, or a permission key).',
    },
    tags: [
      { name: KERNEL_TAG, description: 'The kernel: identity, companies, this document' },
      ...registry
        .all()
        .filter((m) => moduleTags.has(m.name))
        .map((m) => ({ 'name': m.name, 'description': m.label.en, 'x-module-version': m.version })),
    ],
    paths,
    components,
  }
}

let cached: ReturnType<typeof buildOpenApi> | undefined

/** The document, built once: the route table and the modules on disk are fixed after boot. */
export function openApiDocument() {
  cached ??= buildOpenApi()
  return cached
}
