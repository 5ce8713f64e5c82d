import type { I18n } from '@adonisjs/i18n'
import type { CalculationResult } from './calculate.js'

/** The numbers of a refusal as its message shows them (decimal comma in French). */
function figures(result: CalculationResult, locale: string) {
  const format = (value: number | null) =>
    value === null ? '' : new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'fr-FR').format(value)
  return {
    ph: format(result.horizontalProjection),
    band: result.band ?? '',
    pitch: format(result.pitchPercent),
    zone: result.zone,
    tablePitch: format(result.tablePitch),
    lowestPitch: result.feasible ? '' : format(result.lowestPitch),
    recouvrement: format(result.recouvrement),
    minimumLength: format(result.minimumLength),
    length: result.feasible ? '' : format(result.slateLength),
  }
}

/** The i18n key explaining a refusal; pitch_too_low has two cases. */
export function refusalKey(result: CalculationResult) {
  if (result.feasible) return null
  if (result.reason === 'pitch_too_low') {
    return result.lowestPitch === null
      ? 'ardoise.refusal.pitch_too_low_never'
      : 'ardoise.refusal.pitch_too_low'
  }
  return `ardoise.refusal.${result.reason}`
}

/** A refusal with its explanation in the request's language; a feasible result unchanged. */
export function withMessage(result: CalculationResult, i18n: I18n) {
  const key = refusalKey(result)
  if (!key) return result
  return { ...result, message: i18n.t(key, figures(result, i18n.locale)) }
}
