/** URLs of the static assets; the file names carry a version so browsers may cache them for long. */
export const ASSET_PATHS = {
  styles: "/assets/musicrec-2.css",
  script: "/assets/musicrec-3.js",
  icon: "/assets/icon.svg",
} as const;
