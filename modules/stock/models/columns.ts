/** PostgreSQL hands bigints back as strings: scaled quantities and cents are read as numbers. */
export const bigint = {
  consume: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
}
