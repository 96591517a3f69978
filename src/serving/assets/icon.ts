/** The favicon: a note on the accent colour. */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#4f6bed"/><path d="M13 8v11.2a3.5 3.5 0 1 0 2 3.1V12h6V8z" fill="#fff"/></svg>`;
