import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { ApiRequest } from '@japa/api-client'

/* PDF responses reach tests as a Buffer (`response.body()`), not as mangled text. */
ApiRequest.addParser('application/pdf', (res: any, done: (e: Error | null, b?: Buffer) => void) => {
  const chunks: Buffer[] = []
  res.on('data', (chunk: Buffer) => chunks.push(chunk))
  res.on('error', (error: Error) => done(error))
  res.on('end', () => done(null, Buffer.concat(chunks)))
})

/**
 * The text of each page of a PDF, as a reader extracts it (PDF.js), with
 * no-break spaces turned into plain ones so tests can compare readable text.
 * The items of a page are joined with a space.
 */
export async function pdfPages(pdf: Buffer | Uint8Array): Promise<string[]> {
  const task = getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  })
  const document = await task.promise
  try {
    const pages: string[] = []
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n)
      const content = await page.getTextContent()
      pages.push(
        content.items
          .map((item) => ('str' in item ? item.str : ''))
          .filter((text) => text.trim() !== '')
          .join(' ')
          .replace(/[\u00a0\u202f]/g, ' ')
      )
    }
    return pages
  } finally {
    await task.destroy()
  }
}

/** The fonts a PDF embeds (their base names, e.g. `ABCDEF+Roboto-Regular`). */
export function embeddedFonts(pdf: Buffer) {
  const text = pdf.toString('latin1')
  return [...text.matchAll(/\/FontFile2 /g)].length > 0
    ? [...new Set([...text.matchAll(/\/BaseFont \/([A-Za-z0-9+-]+)/g)].map((m) => m[1]))]
    : []
}
