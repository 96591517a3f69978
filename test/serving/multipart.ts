import type { FastifyInstance } from "fastify";

/** A multipart/form-data body for Fastify's inject (the upload form: a file and text fields). */
export function multipartBody(fields: Record<string, string>, file?: { field: string; name: string; content: string | Buffer }) {
  const boundary = "----musicrecTestBoundary7MA4YWxkTrZu0gW";
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** The CSRF token of a freshly rendered upload form (adding to the store is a write). */
export async function formCsrf(server: FastifyInstance): Promise<string> {
  const page = await server.inject({ method: "GET", url: "/upload" });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!token) throw new Error("the upload form has no CSRF token");
  return token;
}
