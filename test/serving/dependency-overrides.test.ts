/**
 * package.json `overrides` swap two of Fastify's transitive dependencies for their previous
 * majors, which support Node 20 (the newer ones are ESM-only and declare Node >= 22):
 * cookie@1 under light-my-request (`inject`) and content-disposition@2 under @fastify/static
 * (swagger-ui). Both keep the API their users call; these tests fail if an update stops doing so.
 */
import { createRequire } from "node:module";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";

describe("overridden dependencies", () => {
  it("inject encodes cookies and drops those whose path does not match (cookie@1)", async () => {
    const app = Fastify();
    app.get("/api/x", async (request) => ({ cookie: request.headers.cookie ?? null }));
    try {
      const response = await app.inject({
        url: "/api/x",
        cookies: [
          { name: "session", value: "a b;c" },
          { name: "admin", value: "1", path: "/admin" },
        ],
      });
      expect(response.json()).toEqual({ cookie: "session=a%20b%3Bc" });
    } finally {
      await app.close();
    }
  });

  it("@fastify/static's content-disposition builds attachment headers (content-disposition@2)", () => {
    const fromStatic = createRequire(createRequire(import.meta.url).resolve("@fastify/swagger-ui"));
    const staticRequire = createRequire(fromStatic.resolve("@fastify/static"));
    const { create } = staticRequire("content-disposition") as { create: (filename: string) => string };
    expect(create("Sigur Rós.flac")).toBe(`attachment; filename="Sigur R?s.flac"; filename*=UTF-8''Sigur%20R%C3%B3s.flac`);
  });
});
