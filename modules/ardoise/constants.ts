/** Every permission the module checks, as declared in module.ts. */
export const PERMISSIONS = {
  calculationRead: 'ardoise.calculation.read',
  calculationCreate: 'ardoise.calculation.create',
  tableManage: 'ardoise.table.manage',
} as const
