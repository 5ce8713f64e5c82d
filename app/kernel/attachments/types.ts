/**
 * The file types attachments may have, as detected from their content, with
 * the file-name extensions each one may carry. A module narrows them per
 * model (`attachments[model].types`); the default accepts them all.
 */
export const ATTACHMENT_TYPES: Record<string, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
  'image/heic': ['heic', 'heif'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  // Text has no signature: accepted when the bytes are valid UTF-8 without control bytes.
  'text/plain': ['txt', 'csv'],
}

/** The largest attachment accepted when a model sets no limit (20 MB). */
export const DEFAULT_ATTACHMENT_BYTES = 20 * 1024 * 1024

/** No model may accept more than this (the request body limit, config/bodyparser.ts). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
