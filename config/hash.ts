import { defineConfig, drivers } from '@adonisjs/core/hash'

/**
 * scrypt at N = 2^17, r = 8, p = 1: the OWASP ASVS 5.0 (and OWASP password
 * storage cheat sheet) minimum. Memory per hash is 128 * N * r = 128 MiB,
 * hence maxMemory.
 */
const hashConfig = defineConfig({
  default: 'scrypt',
  list: {
    scrypt: drivers.scrypt({
      cost: 131072,
      blockSize: 8,
      parallelization: 1,
      maxMemory: 256 * 1024 * 1024,
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
