/** Limits on uploaded history files ("Try your own history"), stated on the page and enforced. */
export interface UploadLimits {
  /** Bytes of the uploaded file. */
  bytes: number;
  /** Lines of the uploaded file (about one play per line in the scrobble formats). */
  lines: number;
}

export const UPLOAD_LIMITS: UploadLimits = {
  bytes: 30 * 1024 * 1024,
  lines: 300_000,
};
