import { Exception } from '@adonisjs/core/exceptions'
import logger from '@adonisjs/core/services/logger'
import registry from '../modules/registry.js'
import moduleManager from '../modules/module_manager.js'
import type { Access } from '../security/access.js'
import type { WidgetData } from '../modules/define_module.js'

/**
 * The home dashboard's widgets, declared by modules (manifest `widgets`).
 * The list names the widgets a user may see; each widget's data is asked
 * for on its own request, so a slow or failing one holds up nothing else.
 */

export interface WidgetSummary {
  module: string
  key: string
  label: string
  kind: 'kpi' | 'chart' | 'list'
  size: number
  order: number
}

/** The widgets of enabled modules whose permission `access` holds, in order. */
export async function listWidgets(access: Access, locale: 'fr' | 'en'): Promise<WidgetSummary[]> {
  const enabled = await moduleManager.enabledSet()
  return registry
    .widgets()
    .filter((w) => enabled.has(w.module) && access.can(w.permission))
    .map((w) => ({
      module: w.module,
      key: w.key,
      label: w.label[locale] ?? w.label.fr,
      kind: w.kind,
      size: w.size ?? 1,
      order: w.order ?? 100,
    }))
}

/**
 * One widget's data: 404 for an unknown widget or a disabled module, 403
 * without the widget's permission. A widget that throws is logged and
 * answers a 500 of its own, which the page shows in that widget only.
 */
export async function loadWidget(
  access: Access,
  locale: 'fr' | 'en',
  module: string,
  key: string
): Promise<{ kind: string; data: WidgetData }> {
  const widget = registry.widgets().find((w) => w.module === module && w.key === key)
  if (!widget || !(await moduleManager.isEnabled(module))) {
    throw new Exception('Widget not found', { status: 404, code: 'E_NOT_FOUND' })
  }
  if (!access.can(widget.permission)) {
    throw new Exception(`Missing permission ${widget.permission}`, {
      status: 403,
      code: 'E_FORBIDDEN',
    })
  }
  try {
    const load = (await widget.load()).default
    return { kind: widget.kind, data: await load({ access, locale }) }
  } catch (error) {
    logger.error({ err: error, widget: `${module}.${key}` }, 'dashboard widget failed')
    throw new Exception('The widget could not be loaded', {
      status: 500,
      code: 'E_WIDGET_FAILED',
    })
  }
}
