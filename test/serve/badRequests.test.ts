import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";
import { startServer } from "../../src/serve/startServer.ts";

/** One raw GET with the request line exactly as given (fetch would normalise it). */
function get(base: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target, method: "GET" }, (response) => {
      let body = "";
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("a request line that is no URL (//, //x:bad) is a 400, not an internal error; the server goes on", async () => {
  const server = await startServer({ host: "127.0.0.1", port: 0, database: "none.db", store: async () => null });
  try {
    for (const target of ["//", "//x:bad/"]) {
      const answer = await get(server.url, target);
      assert.equal(answer.status, 400, `${target}: ${answer.body}`);
      assert.equal(answer.body, "not a valid URL\n");
    }
    const home = await get(server.url, "/");
    assert.equal(home.status, 200);
  } finally {
    await server.close();
  }
});
