import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { freePort } from "../../src/engines/freePort.ts";
import { type StreamEvent, streamEvents } from "../../src/engines/streamEvents.ts";
import { GgufBenchError } from "../../src/errors.ts";

/** A real HTTP server that answers each path the way a (mis)behaving server would. */
let server: http.Server;
let base: string;
const open = new Set<http.ServerResponse>();
before(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    open.add(response);
    response.on("close", () => open.delete(response));
    const sse = () => response.writeHead(200, { "content-type": "text/event-stream" });
    switch (request.url) {
      case "/ok":
        sse();
        // One event split across writes, two in one write, a comment, CRLF endings, then [DONE].
        response.write('data: {"n"');
        setTimeout(() => {
          response.write(':1}\n\n: keep-alive\r\ndata: {"n":2}\r\n\r\ndata: {"n":3}\n\n');
          response.end("data: [DONE]\n\n");
        }, 20);
        return;
      case "/malformed":
        sse();
        response.end("data: {not json\n\n");
        return;
      case "/stall":
        sse();
        response.write('data: {"n":1}\n\n');
        return; // never ends
      case "/unauthorized":
        response.writeHead(401, { "content-type": "application/json" });
        response.end('{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}');
        return;
      case "/error-line":
        sse();
        response.end('data: {"n":1}\n\nerror: {"message":"slot unavailable"}\n\n');
        return;
      case "/huge-line":
        sse();
        response.end(`data: ${"x".repeat(1_100_000)}`);
        return;
      default:
        response.writeHead(404);
        response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  for (const response of open) response.destroy();
  server.close();
});

async function collect(path: string, idleTimeoutMs = 5000): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of streamEvents({ url: `${base}${path}`, body: {}, idleTimeoutMs })) events.push(event);
  return events;
}

async function failure(run: Promise<unknown>): Promise<GgufBenchError> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof GgufBenchError, String(error));
    return error;
  }
  throw new Error("expected a failure");
}

test("events are parsed across and within reads, stamped in order, and end at [DONE]", async () => {
  const events = await collect("/ok");
  assert.deepEqual(
    events.map((e) => e.data),
    [{ n: 1 }, { n: 2 }, { n: 3 }],
  );
  assert.ok((events[0]?.atMs ?? 0) <= (events[2]?.atMs ?? 0));
});

test("each way a stream goes wrong has its code and the server's own words", async () => {
  const malformed = await failure(collect("/malformed"));
  assert.equal(malformed.code, "malformed-stream");
  assert.match(malformed.message, /not JSON: \{not json/);

  const stalled = await failure(collect("/stall", 300));
  assert.equal(stalled.code, "stalled");
  assert.equal(stalled.message, "the stream sent nothing for 0.3 s");

  const unauthorized = await failure(collect("/unauthorized"));
  assert.equal(unauthorized.code, "http-401");
  assert.equal(unauthorized.message, `HTTP 401 from ${base}/unauthorized: Invalid API Key`);

  const inStream = await failure(collect("/error-line"));
  assert.equal(inStream.code, "server-error");
  assert.equal(inStream.message, "slot unavailable");

  const huge = await failure(collect("/huge-line"));
  assert.equal(huge.code, "malformed-stream");

  const port = await freePort();
  const refused = await failure(
    (async () => {
      for await (const _ of streamEvents({ url: `http://127.0.0.1:${port}/x`, body: {}, idleTimeoutMs: 5000 })) {
      }
    })(),
  );
  assert.equal(refused.code, "connection-failed");
  assert.match(refused.message, /ECONNREFUSED/);
});

test("a request whose signal was aborted before it started is cancelled at once, even on a stalling server", async () => {
  const controller = new AbortController();
  controller.abort();
  const aborted = await failure(
    (async () => {
      for await (const _ of streamEvents({
        url: `${base}/stall`,
        body: {},
        idleTimeoutMs: 600_000,
        signal: controller.signal,
      })) {
      }
    })(),
  );
  assert.equal(aborted.code, "aborted");
});
