import { createRequire } from 'node:module'
import { dirname, join, resolve, sep } from 'node:path'
import i18nManager from '@adonisjs/i18n/services/main'
import Company from '#models/company'
import { letterheadOf, type Letterhead } from './letterhead.js'
import {
  documentLocale,
  formatDate,
  formatMoney,
  formatNumber,
  formatPercent,
  formatQuantity,
  PdfInputError,
  type DateInput,
  type DocumentLocale,
} from './format.js'

/** How a table column prints its values. */
export type PdfColumnKind = 'text' | 'money' | 'number' | 'quantity' | 'percent' | 'date'

export interface PdfColumn {
  /** The row property the column prints */
  key: string
  label: string
  /**
   * `money`: integer cents (`1 234,50 €`); `quantity`: integer thousandths
   * (`1,5`); `number`: a number with `decimals` digits; `percent`: a rate in
   * percent (`20 %`); `date`: a calendar date or an instant (`22/11/2026`);
   * `text` (the default): printed as given.
   */
  kind?: PdfColumnKind
  /** Right for numbers, left for text unless said otherwise */
  align?: 'left' | 'center' | 'right'
  /** Points, `'auto'` (fits the content) or `'*'` (shares what is left, the default) */
  width?: number | 'auto' | '*'
  decimals?: number
  /** The currency of a money column (EUR by default) */
  currency?: string
}

export type PdfCell = string | number | DateInput | null | undefined

export type PdfBlock =
  | { type: 'heading'; text: string; level?: 1 | 2 }
  | { type: 'paragraph'; text: string; bold?: boolean; italic?: boolean; small?: boolean }
  | { type: 'keyValues'; items: { label: string; value: string }[] }
  | {
      type: 'table'
      columns: PdfColumn[]
      rows: Record<string, PdfCell>[]
      /** Printed instead of the rows when there are none */
      emptyText?: string
    }
  | {
      type: 'totals'
      items: { label: string; cents: number; emphasis?: boolean }[]
      currency?: string
    }
  | { type: 'pageBreak' }

export interface PdfDocumentInput {
  /** The company whose letterhead and legal mentions the document carries */
  companyId: number
  /** The document's language; the company's document language by default */
  locale?: string
  title: string
  /** Key facts printed beside the title on the first page (number, date, customer…) */
  meta?: { label: string; value: string }[]
  blocks: PdfBlock[]
  /**
   * Print the company's decennial insurance in the footer (quotes and
   * invoices of the building trade). Default: whenever the company has one.
   */
  decennialInsurance?: boolean
}

/** The subset of pdfmake's server API used here (the package ships no types). */
interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void
  setUrlAccessPolicy(policy: (url: string) => boolean): void
  setLocalAccessPolicy(policy: (path: string) => boolean): void
  createPdf(definition: Record<string, unknown>): { getBuffer(): Promise<Buffer> }
}

const require = createRequire(import.meta.url)
const FONT_DIR = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto')

/*
 * Roboto (Apache License 2.0, shipped in the pdfmake package) covers French:
 * accents, œ, €, « », no-break spaces. It is embedded (subset) in every
 * document, so a PDF looks the same on every reader, and nothing outside
 * node_modules is needed on the server.
 */
let engine: PdfMake | null = null
function pdfmake(): PdfMake {
  if (engine) return engine
  engine = require('pdfmake') as PdfMake
  engine.setFonts({
    Roboto: {
      normal: join(FONT_DIR, 'Roboto-Regular.ttf'),
      bold: join(FONT_DIR, 'Roboto-Medium.ttf'),
      italics: join(FONT_DIR, 'Roboto-Italic.ttf'),
      bolditalics: join(FONT_DIR, 'Roboto-MediumItalic.ttf'),
    },
  })
  // Documents never fetch anything: images come as data URLs, fonts from the package.
  engine.setUrlAccessPolicy(() => false)
  engine.setLocalAccessPolicy((path) => resolve(path).startsWith(FONT_DIR + sep))
  return engine
}

const INK = '#1e293b'
const MUTED = '#64748b'
const RULE = '#cbd5e1'
const HEADER_FILL = '#e2e8f0'

const NUMERIC: PdfColumnKind[] = ['money', 'number', 'quantity', 'percent']

function cellText(value: PdfCell, column: PdfColumn, locale: DocumentLocale, zone: string) {
  if (value === null || value === undefined || value === '') return ''
  const kind = column.kind ?? 'text'
  if (kind === 'text') return String(value)
  if (kind === 'date') return formatDate(value as DateInput, zone)
  if (typeof value !== 'number') {
    throw new PdfInputError(`Column "${column.key}" prints numbers, got ${JSON.stringify(value)}`)
  }
  if (kind === 'money') return formatMoney(value, locale, column.currency)
  if (kind === 'quantity') return formatQuantity(value, locale)
  if (kind === 'percent') return formatPercent(value, locale)
  return formatNumber(value, locale, column.decimals)
}

function tableBlock(
  block: Extract<PdfBlock, { type: 'table' }>,
  locale: DocumentLocale,
  zone: string
) {
  const align = (c: PdfColumn) => c.align ?? (NUMERIC.includes(c.kind ?? 'text') ? 'right' : 'left')
  const header = block.columns.map((c) => ({
    text: c.label,
    style: 'tableHeader',
    alignment: align(c),
  }))
  const body = block.rows.map((row) =>
    block.columns.map((c) => ({ text: cellText(row[c.key], c, locale, zone), alignment: align(c) }))
  )
  if (body.length === 0) {
    const empty = i18nManager.locale(locale).t('pdf.empty_table')
    body.push([
      { text: block.emptyText ?? empty, colSpan: block.columns.length, style: 'muted' } as any,
      ...block.columns.slice(1).map(() => ({ text: '' })),
    ])
  }
  return {
    table: {
      // The header row is repeated at the top of every page the table runs onto.
      headerRows: 1,
      dontBreakRows: true,
      keepWithHeaderRows: 1,
      widths: block.columns.map((c) => c.width ?? '*'),
      body: [header, ...body],
    },
    layout: {
      fillColor: (row: number) => (row === 0 ? HEADER_FILL : null),
      hLineWidth: (i: number, node: any) =>
        i === 0 || i === 1 || i === node.table.body.length ? 0.8 : 0.3,
      vLineWidth: () => 0,
      hLineColor: () => RULE,
      paddingTop: () => 3,
      paddingBottom: () => 3,
    },
    margin: [0, 4, 0, 10],
  }
}

function blockContent(block: PdfBlock, locale: DocumentLocale, zone: string): unknown {
  switch (block.type) {
    case 'heading':
      return { text: block.text, style: block.level === 2 ? 'h2' : 'h1' }
    case 'paragraph':
      return {
        text: block.text,
        bold: block.bold ?? false,
        italics: block.italic ?? false,
        style: block.small ? 'small' : undefined,
        margin: [0, 0, 0, 6],
      }
    case 'keyValues':
      return {
        table: {
          widths: ['auto', '*'],
          body: block.items.map((item) => [
            { text: item.label, style: 'muted' },
            { text: item.value },
          ]),
        },
        layout: 'noBorders',
        margin: [0, 0, 0, 8],
      }
    case 'table':
      return tableBlock(block, locale, zone)
    case 'totals':
      return {
        columns: [
          { width: '*', text: '' },
          {
            width: 'auto',
            table: {
              widths: [120, 90],
              body: block.items.map((item) => [
                { text: item.label, bold: item.emphasis ?? false },
                {
                  text: formatMoney(item.cents, locale, block.currency),
                  alignment: 'right',
                  bold: item.emphasis ?? false,
                },
              ]),
            },
            layout: 'lightHorizontalLines',
          },
        ],
        margin: [0, 4, 0, 10],
      }
    case 'pageBreak':
      return { text: '', pageBreak: 'after' }
    default:
      throw new PdfInputError(`Unknown block type: ${(block as { type: string }).type}`)
  }
}

/** The first page's top: logo and company on the left, title and key facts on the right. */
function firstPageTop(letterhead: Letterhead, input: PdfDocumentInput) {
  const company = [
    ...(letterhead.logo ? [{ image: 'logo', fit: [150, 60], margin: [0, 0, 0, 6] }] : []),
    { text: letterhead.name, style: 'companyName' },
    ...letterhead.lines.map((line) => ({ text: line, style: 'small' })),
    ...(letterhead.identity ? [{ text: letterhead.identity, style: 'small' }] : []),
  ]
  const title = [
    { text: input.title, style: 'title', alignment: 'right' },
    ...(input.meta?.length
      ? [
          {
            table: {
              widths: ['*', 'auto'],
              body: input.meta.map((m) => [
                { text: m.label, style: 'muted', alignment: 'right' },
                { text: m.value, alignment: 'right' },
              ]),
            },
            layout: 'noBorders',
          },
        ]
      : []),
  ]
  return {
    columns: [
      { width: '*', stack: company },
      { width: 220, stack: title },
    ],
    columnGap: 20,
    margin: [0, 0, 0, 18],
  }
}

/*
 * The footer is drawn in the bottom margin, which must be tall enough for it
 * on every page: a long decennial insurance text wraps onto several lines.
 * A line of the footer's 7 pt text holds about 120 characters; count 100.
 */
function footerHeight(lines: string[]) {
  const rows = lines.reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 100)), 0)
  return Math.max(64, 26 + rows * 9)
}

/** The document definition pdfmake renders: exported for tests of the layout itself. */
export async function documentDefinition(input: PdfDocumentInput) {
  const company = await Company.findOrFail(input.companyId)
  const locale = documentLocale(input.locale ?? company.locale)
  const letterhead = await letterheadOf(company, locale, {
    decennialInsurance: input.decennialInsurance,
  })
  const zone = letterhead.timezone
  const i18n = i18nManager.locale(locale)

  return {
    pageSize: 'A4',
    pageMargins: [40, 48, 40, footerHeight(letterhead.footer)],
    info: { title: input.title, author: company.legalName || company.name, creator: 'Charpente' },
    language: locale === 'fr' ? 'fr-FR' : 'en-GB',
    images: letterhead.logo ? { logo: letterhead.logo } : {},
    defaultStyle: { font: 'Roboto', fontSize: 9.5, color: INK, lineHeight: 1.15 },
    styles: {
      companyName: { fontSize: 14, bold: true, margin: [0, 0, 0, 2] },
      title: { fontSize: 16, bold: true, margin: [0, 0, 0, 6] },
      h1: { fontSize: 12, bold: true, margin: [0, 8, 0, 4] },
      h2: { fontSize: 10.5, bold: true, margin: [0, 6, 0, 3] },
      small: { fontSize: 8.5, color: MUTED },
      muted: { color: MUTED },
      tableHeader: { bold: true, fontSize: 9 },
      footer: { fontSize: 7, color: MUTED },
    },
    // From page 2 on, a running head recalls whose document this is.
    header: (page: number) =>
      page === 1
        ? null
        : {
            columns: [
              { text: letterhead.name, bold: true },
              { text: input.title, alignment: 'right' },
            ],
            style: 'small',
            margin: [40, 22, 40, 0],
          },
    footer: (page: number, pages: number) => ({
      margin: [40, 10, 40, 0],
      stack: [
        {
          canvas: [{ type: 'line', x1: 0, y1: 0, x2: 515, y2: 0, lineWidth: 0.5, lineColor: RULE }],
        },
        {
          columns: [
            {
              width: '*',
              stack: letterhead.footer.map((line) => ({ text: line, style: 'footer' })),
            },
            {
              width: 70,
              text: i18n.t('pdf.page', { current: page, total: pages }),
              style: 'footer',
              alignment: 'right',
            },
          ],
          columnGap: 12,
          margin: [0, 4, 0, 0],
        },
      ],
    }),
    content: [
      firstPageTop(letterhead, input),
      ...input.blocks.map((b) => blockContent(b, locale, zone)),
    ],
  }
}

/**
 * Renders a document with the company's letterhead, legal footer and page
 * numbers, on A4, as a PDF.
 *
 * It prints what the caller passes and reads nothing but the company: the
 * caller reads its records through `Access.scope` (and masks fields with the
 * field rules) before building the blocks, exactly as for a page or an export.
 */
export async function renderDocument(input: PdfDocumentInput): Promise<Buffer> {
  const definition = await documentDefinition(input)
  return pdfmake().createPdf(definition).getBuffer()
}
