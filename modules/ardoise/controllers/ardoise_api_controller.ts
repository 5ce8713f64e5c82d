import type { HttpContext } from '@adonisjs/core/http'
import CalculationService, { calculationToJson } from '../services/calculations.js'
import {
  calculateValidator,
  listCalculationsValidator,
  saveCalculationValidator,
} from '../validators/calculation.js'
import { withMessage } from '../services/messages.js'

/** /api/v1/ardoise: calculate, save and read calculations. */
export default class ArdoiseApiController {
  /** POST /calculate: the result on the active table; refusals are 200 with `feasible: false`. */
  async calculate({ request, access, i18n }: HttpContext) {
    const payload = await request.validateUsing(calculateValidator)
    const { result } = await new CalculationService(access).run(payload)
    return withMessage(result, i18n)
  }

  async store({ request, access, response, i18n }: HttpContext) {
    const payload = await request.validateUsing(saveCalculationValidator)
    const calculation = await new CalculationService(access).save(payload)
    const json = calculationToJson(calculation)
    return response.created({ data: { ...json, result: withMessage(json.result, i18n) } })
  }

  async index({ request, access }: HttpContext) {
    const filters = await request.validateUsing(listCalculationsValidator, { data: request.qs() })
    const page = await new CalculationService(access).list(filters)
    return { data: page.data.map(calculationToJson), meta: { nextCursor: page.nextCursor } }
  }

  async show({ params, access, i18n }: HttpContext) {
    const json = calculationToJson(await new CalculationService(access).find(Number(params.id)))
    return { data: { ...json, result: withMessage(json.result, i18n) } }
  }
}
