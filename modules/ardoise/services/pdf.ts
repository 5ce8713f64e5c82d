import { renderDocument } from '#kernel/pdf/render'
import { formatNumber } from '#kernel/pdf/format'
import type { CalculationInput, CalculationResult } from './calculate.js'
import { billOfMaterials } from './bill_of_materials.js'
import { refusalKey } from './messages.js'
import type { I18n } from '@adonisjs/i18n'

/**
 * A calculation as an A4 document on the company's letterhead: the roof, each
 * step with the row and band used, then what to order — or the refusal and why.
 */
export function calculationPdf(
  companyId: number,
  i18n: I18n,
  doc: {
    title: string
    input: CalculationInput
    result: CalculationResult
    comparisons?: { input: CalculationInput; result: CalculationResult }[]
  }
) {
  const t = (key: string, values: Record<string, unknown> = {}) => i18n.t(`ardoise.${key}`, values)
  const locale = i18n.locale === 'en' ? 'en' : 'fr'
  const num = (value: number, decimals?: number) => formatNumber(value, locale, decimals)
  const { input, result } = doc
  const situation = t(`situation_${input.situation}`)
  const roof = [
    { label: t('slate'), value: `${input.slate.length} × ${input.slate.width} mm` },
    {
      label: t('pitch'),
      value: `${num(result.pitchPercent)} % (${num(result.pitchDegrees)}°)`,
    },
    { label: t('zone'), value: String(input.zone) },
    { label: t('situation'), value: situation },
    { label: t('rampant'), value: `${num(input.rampant)} m` },
    { label: t('area'), value: `${num(input.area)} m²` },
    { label: t('waste'), value: `${num(input.wastePercent ?? 5)} %` },
    { label: t('fixing'), value: t(`fixing_${input.fixing}`) },
  ]
  const blocks: any[] = [
    { type: 'heading', text: t('pdf.roof') },
    { type: 'keyValues', items: roof },
    { type: 'heading', text: t('pdf.steps') },
    {
      type: 'paragraph',
      text: t('explain.ph', {
        ph: num(result.horizontalProjection, 2),
        band: result.band ?? '–',
      }),
    },
  ]
  if (!result.feasible) {
    const key = refusalKey(result)!
    blocks.push({ type: 'heading', text: t(`reason.${result.reason}`) })
    blocks.push({
      type: 'paragraph',
      bold: true,
      text: i18n.t(key, {
        ph: num(result.horizontalProjection, 2),
        band: result.band ?? '',
        pitch: num(result.pitchPercent),
        zone: result.zone,
        tablePitch: result.tablePitch === null ? '' : num(result.tablePitch),
        lowestPitch: result.lowestPitch === null ? '' : num(result.lowestPitch),
        recouvrement: result.recouvrement ?? '',
        minimumLength: result.minimumLength ?? '',
        length: result.slateLength,
      }),
    })
  } else {
    blocks.push(
      {
        type: 'paragraph',
        text: t('explain.row', {
          tablePitch: num(result.tablePitch),
          pitch: num(result.pitchPercent),
          zone: result.zone,
          band: result.band,
          value: result.tableRecouvrement,
        }),
      },
      {
        type: 'paragraph',
        text:
          input.situation === 'exposee'
            ? t('explain.exposed', { value: result.tableRecouvrement, r: result.recouvrement })
            : t('explain.normal', { r: result.recouvrement, situation }),
      },
      {
        type: 'paragraph',
        text: t('explain.length', { min: result.minimumLength, length: input.slate.length }),
      },
      {
        type: 'keyValues',
        items: [
          { label: t('recouvrement'), value: `${result.recouvrement} mm` },
          { label: t('pureau'), value: `${num(result.pureau)} mm` },
          { label: t('slates_per_m2'), value: num(result.slatesPerM2, 2) },
          ...(result.weightPerM2 === null
            ? []
            : [
                { label: t('weight_per_m2'), value: `${num(result.weightPerM2)} kg` },
                { label: t('total_weight'), value: `${num(result.totalWeightKg!)} kg` },
              ]),
        ],
      },
      { type: 'heading', text: t('pdf.materials') }
    )
    const bill = billOfMaterials(result, input.slate)!
    blocks.push({
      type: 'table',
      columns: [
        { key: 'label', label: t('pdf.item') },
        { key: 'detail', label: t('pdf.detail') },
        { key: 'quantity', label: t('pdf.quantity'), kind: 'number', decimals: 0, width: 80 },
        { key: 'unit', label: t('pdf.unit'), width: 40 },
      ],
      rows: bill.lines.map((line) => ({
        label: line.label[locale],
        detail: line.detail ?? '',
        quantity: line.quantity,
        unit: line.unit,
      })),
    })
  }
  if (doc.comparisons?.length) {
    blocks.push({ type: 'heading', text: t('compare.title') })
    blocks.push({
      type: 'table',
      columns: [
        { key: 'slate', label: t('slate') },
        { key: 'outcome', label: t('compare.outcome') },
        { key: 'slates', label: t('total_slates'), kind: 'number', decimals: 0, width: 70 },
        { key: 'battens', label: t('battens'), kind: 'number', decimals: 0, width: 70 },
      ],
      rows: doc.comparisons.map(({ input: i, result: r }) => ({
        slate: `${i.slate.length} × ${i.slate.width} mm`,
        outcome: r.feasible
          ? `R ${r.recouvrement} mm, P ${num(r.pureau)} mm`
          : t(`reason.${r.reason}`),
        slates: r.feasible ? r.totalSlates : 0,
        battens: r.feasible ? r.battensMeters : 0,
      })),
    })
  }
  blocks.push({
    type: 'paragraph',
    small: true,
    italic: true,
    text: t('pdf.table', { label: result.tableVersion }),
  })
  return renderDocument({
    companyId,
    title: doc.title,
    locale,
    meta: [{ label: t('pdf.table_short'), value: result.tableVersion }],
    blocks,
  })
}
