import net from "node:net";

/**
 * A loopback TCP port that was free a moment ago (the kernel's pick for port 0). Another process may take it
 * before the server binds it: callers retry on "couldn't bind" with a fresh port.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/**
 * Whether another process holds `port` on the loopback address now (listening there fails with EADDRINUSE). Used
 * when llama-server exits before loading without saying "couldn't bind": its logger writes from a thread and can
 * lose the last lines of a process that exits at once, so the log alone cannot tell a taken port.
 */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}
