import { writeFile, mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'

/** A valid SIRET (Luhn) built from a number: for rows that need distinct SIRETs. */
export function siretFor(n: number) {
  const body = String(100000000 + n).padStart(9, '0') + '0001'
  for (let check = 0; check < 10; check++) {
    const candidate = body + check
    let sum = 0
    for (let i = 0; i < candidate.length; i++) {
      let d = Number(candidate[candidate.length - 1 - i])
      if (i % 2 === 1) {
        d *= 2
        if (d > 9) d -= 9
      }
      sum += d
    }
    if (sum % 10 === 0) return candidate
  }
  throw new Error('unreachable')
}

export const CONTACT_HEADER = [
  'Raison sociale',
  'Type',
  'E-mail',
  'Client',
  'Adresse',
  'CP',
  'Ville',
  'Délai de paiement (jours)',
]

/**
 * A contacts CSV as French Excel writes it (`;`, CRLF) with `count` rows;
 * `bad` maps a row number (1-based, after the header) to cells to put instead.
 */
export function contactsCsv(count: number, bad: Record<number, string[]> = {}, tag = 'imp') {
  const lines = [CONTACT_HEADER.join(';')]
  for (let i = 1; i <= count; i++) {
    lines.push(
      (
        bad[i] ?? [
          `Entreprise ${tag} ${i}`,
          i % 3 === 0 ? 'Particulier' : 'Entreprise',
          `contact${i}@${tag}.example.fr`,
          i % 2 ? 'oui' : 'non',
          `${i} rue des Tuiles`,
          '35000',
          'Rennes',
          '45',
        ]
      ).join(';')
    )
  }
  return lines.join('\r\n') + '\r\n'
}

/** Writes a file under tmp/ for a command to read; returns its path. */
export async function tmpFile(name: string, content: string | Uint8Array) {
  await mkdir(app.makePath('tmp/imports-test'), { recursive: true })
  const path = app.makePath('tmp/imports-test', name)
  await writeFile(path, content)
  return path
}
