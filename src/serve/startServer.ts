import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { GgufBenchError } from "../errors.ts";
import type { ResultStore } from "../store/resultStore.ts";
import { route } from "./route.ts";

export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** How pages name the database (never with a password). */
  database: string;
  /** The history, opened read-only; called per request so a history created later is found. */
  store: () => Promise<ResultStore | null>;
}

/** A request line longer than this is not one of our links. */
const MAX_URL_CHARS = 2048;
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]", "::1"];

/**
 * Serves the read-only web view over HTTP on `host:port`. Only GET and HEAD; every page sent with a
 * Content-Security-Policy that forbids any external request. Bound to a loopback address, it also
 * answers only requests addressed to a loopback name, so a web page elsewhere cannot read the history
 * through DNS rebinding. Resolves once listening; `close` stops it and drops open connections.
 */
export function startServer(options: ServeOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const loopbackOnly = LOOPBACK_NAMES.includes(options.host) || options.host.startsWith("127.");
  const server = createServer((request, response) => {
    handle(request, response, options, loopbackOnly).catch((error: unknown) => {
      process.stderr.write(`gguf-bench: serve: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", "internal error\n", null);
      else response.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new GgufBenchError(
          "serve-listen-failed",
          error.code === "EADDRINUSE"
            ? `port ${options.port} on ${options.host} is in use; pick another with --port`
            : `cannot listen on ${options.host}:${options.port} (${error.message})`,
        ),
      );
    });
    server.listen(options.port, options.host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServeOptions,
  loopbackOnly: boolean,
): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    return send(response, 405, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n", null);
  }
  const target = request.url ?? "/";
  if (target.length > MAX_URL_CHARS) return send(response, 414, "text/plain; charset=utf-8", "URL too long\n", null);
  const hostHeader = request.headers.host ?? "";
  const hostName = hostHeader.replace(/:\d+$/, "").toLowerCase();
  if (loopbackOnly && !LOOPBACK_NAMES.includes(hostName) && hostName !== options.host) {
    return send(response, 421, "text/plain; charset=utf-8", "this server answers only to its loopback address\n", null);
  }
  // A request line such as "//" or "//x:bad" is no URL at all: the client's mistake, not ours.
  const url = URL.canParse(target, "http://localhost") ? new URL(target, "http://localhost") : null;
  if (url === null) return send(response, 400, "text/plain; charset=utf-8", "not a valid URL\n", null);
  if (url.pathname === "/favicon.ico") return send(response, 404, "text/plain; charset=utf-8", "", null);
  const page = await route(await options.store(), url, options.database);
  send(response, page.status, "text/html; charset=utf-8", request.method === "HEAD" ? "" : page.html, page.csp);
}

function send(response: ServerResponse, status: number, type: string, body: string, csp: string | null): void {
  response.statusCode = status;
  response.setHeader("Content-Type", type);
  response.setHeader("Content-Security-Policy", csp ?? "default-src 'none'");
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("Referrer-Policy", "no-referrer");
  response.setHeader("X-Frame-Options", "DENY");
  response.setHeader("Cache-Control", "no-store");
  response.end(body);
}
