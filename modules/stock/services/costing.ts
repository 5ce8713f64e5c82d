import { QUANTITY_SCALE } from '../constants.js'

/**
 * Cost arithmetic, in BigInt so that large quantities times prices never
 * lose a cent. Rounding rule: half away from zero, to the cent, applied once
 * per line total and once per new average.
 */

function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  const q = (2n * n + d) / (2n * d)
  return negative ? -q : q
}

/** The cost of `quantity` thousandths at `unitCents` per unit, in cents (signed like quantity). */
export function lineCost(quantity: number, unitCents: number): number {
  return Number(roundDiv(BigInt(quantity) * BigInt(unitCents), BigInt(QUANTITY_SCALE)))
}

/**
 * The weighted average unit cost after receiving `quantity` at `unitCents`
 * into a total stock of `onHand` at `averageCents`. Negative stock (where a
 * site allows it) counts as none: the received units set the price.
 */
export function averageAfterReceipt(
  onHand: number,
  averageCents: number,
  quantity: number,
  unitCents: number
): number {
  const before = BigInt(Math.max(onHand, 0))
  const received = BigInt(quantity)
  if (before + received <= 0n) return unitCents
  return Number(
    roundDiv(before * BigInt(averageCents) + received * BigInt(unitCents), before + received)
  )
}

/** Parses a decimal quantity typed by a user ("2", "1,5", "0.25") into thousandths, exactly. */
export function parseQuantity(text: string): number | null {
  const match = /^\s*(-?)(\d{1,12})(?:[.,](\d{1,3}))?\s*$/.exec(text)
  if (!match) return null
  const value = Number(match[2]) * QUANTITY_SCALE + Number((match[3] ?? '').padEnd(3, '0'))
  return match[1] ? -value : value
}
