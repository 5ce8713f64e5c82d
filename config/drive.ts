import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, services } from '@adonisjs/drive'

/**
 * Where attachments are kept. The embedded default is a private folder on
 * the local disk (`storage/attachments`, never under public/, never served
 * by a route of its own: files go out only through the attachment routes,
 * which check the record's permission). Setting DRIVE_DISK=s3 with the S3_*
 * variables stores them in an S3-compatible bucket instead (install
 * `@aws-sdk/client-s3` on such a site).
 */
const s3Configured = Boolean(env.get('S3_BUCKET'))

const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK', 'fs'),
  services: {
    fs: services.fs({
      location: env.get('DRIVE_ROOT') ?? app.makePath('storage', 'attachments'),
      serveFiles: false,
      visibility: 'private',
    }),
    ...(s3Configured
      ? {
          s3: services.s3({
            credentials: {
              accessKeyId: env.get('S3_ACCESS_KEY_ID', ''),
              secretAccessKey: env.get('S3_SECRET_ACCESS_KEY', ''),
            },
            region: env.get('S3_REGION', 'auto'),
            bucket: env.get('S3_BUCKET', ''),
            endpoint: env.get('S3_ENDPOINT'),
            forcePathStyle: Boolean(env.get('S3_ENDPOINT')),
            visibility: 'private',
          }),
        }
      : {}),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
