import type { Route } from '@adonisjs/core/http'
import type { RouteJSON } from '@adonisjs/core/types/http'

/** A JSON Schema, as OpenAPI 3.1 embeds it. */
export type JsonSchema = Record<string, unknown>

/**
 * What a schema may be given as: a VineJS validator or schema (anything with
 * `toJSONSchema()`), or a plain JSON Schema.
 */
export type SchemaSource = { toJSONSchema(): unknown } | JsonSchema

export interface ApiResponseDoc {
  description: string
  /** The body's schema; omit for an empty response (e.g. 204) */
  schema?: SchemaSource
  /** The body's media type when it is not JSON (e.g. `text/csv`) */
  contentType?: string
}

/** The documentation of one API route, declared next to the route with `apiDoc()`. */
export interface ApiDoc {
  summary: string
  description?: string
  /** The JSON request body, usually the validator the controller runs */
  body?: SchemaSource
  /** The query string, as an object schema: each property becomes a query parameter */
  query?: SchemaSource
  /** Descriptions of the path parameters, by name */
  params?: Record<string, string>
  /**
   * Responses beyond the ones the generator derives (401, 403, 404, 422):
   * the success response and any other refusal, such as 409.
   */
  responses?: Record<number, string | ApiResponseDoc>
  deprecated?: boolean
}

/**
 * Keyed by the route's handler: it is the one object shared by the route and
 * the JSON the router commits, so the generator finds the doc of a committed
 * route without the route knowing its final, prefixed pattern. Nothing of
 * this is read while serving requests.
 */
const docs = new WeakMap<object, ApiDoc>()

/**
 * Documents an API route for the OpenAPI document (/api/v1/openapi.json) and
 * returns the route unchanged:
 *
 *   apiDoc(
 *     router.post('/', [ContactsController, 'store']).use(can('contacts.contact.create')),
 *     { summary: 'Create a contact', body: createContactValidator, responses: { 201: 'Created' } }
 *   )
 *
 * The permission, the module, the path parameters and the error responses
 * come from the route table; the doc adds what only the route's author knows.
 */
export function apiDoc<R extends Route<any>>(route: R, doc: ApiDoc): R {
  docs.set(route.getHandler() as object, doc)
  return route
}

/** The doc declared for a committed route, if any. */
export function docOf(route: RouteJSON): ApiDoc | undefined {
  return docs.get(route.handler as object)
}

/** Resolves a schema source to a JSON Schema. */
export function toSchema(source: SchemaSource): JsonSchema {
  if (typeof (source as any).toJSONSchema === 'function') {
    return (source as { toJSONSchema(): unknown }).toJSONSchema() as JsonSchema
  }
  return source as JsonSchema
}
