import { readFile, mkdir, rename, copyFile, unlink } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type Company from '#models/company'
import { fieldError } from '#kernel/http/field_error'

export function companyToJson(company: Company) {
  return {
    id: company.id,
    name: company.name,
    legalName: company.legalName,
    legalForm: company.legalForm,
    siren: company.siren,
    siret: company.siret,
    vatNumber: company.vatNumber,
    rcs: company.rcs,
    capitalCents: company.capitalCents,
    addressLine1: company.addressLine1,
    addressLine2: company.addressLine2,
    postalCode: company.postalCode,
    city: company.city,
    country: company.country,
    email: company.email,
    phone: company.phone,
    decennialInsurance: company.decennialInsurance,
    timezone: company.timezone,
    locale: company.locale,
    hasLogo: Boolean(company.logoPath),
  }
}

const SIGNATURES: { type: string; ext: string; test: (b: Buffer) => boolean }[] = [
  {
    type: 'image/png',
    ext: 'png',
    test: (b) =>
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/webp',
    ext: 'webp',
    test: (b) => b.subarray(0, 4).toString() === 'RIFF' && b.subarray(8, 12).toString() === 'WEBP',
  },
]

/** The logo's type, read from its first bytes; null when it is not a supported image. */
export function sniffImage(bytes: Buffer) {
  return SIGNATURES.find((s) => s.test(bytes)) ?? null
}

export const LOGO_TYPES = Object.fromEntries(SIGNATURES.map((s) => [s.ext, s.type]))

/** Stores a company's logo under storage/logos with a name of our own. */
export async function storeLogo(company: Company, file: MultipartFile) {
  const bytes = await readFile(file.tmpPath!)
  const kind = sniffImage(bytes)
  if (!kind) throw fieldError('logo', 'The file is not a PNG, JPEG or WebP image', 'file.content')
  const folder = app.makePath('storage', 'logos')
  await mkdir(folder, { recursive: true })
  const name = `company-${company.id}.${kind.ext}`
  const target = `${folder}/${name}`
  try {
    await rename(file.tmpPath!, target)
  } catch {
    // Another file system: copy, then remove the upload.
    await copyFile(file.tmpPath!, target)
    await unlink(file.tmpPath!).catch(() => {})
  }
  if (company.logoPath && company.logoPath !== name) {
    await unlink(`${folder}/${company.logoPath}`).catch(() => {})
  }
  company.logoPath = name
  await company.save()
}
