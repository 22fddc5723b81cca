/**
 * The floor under any Node gateway on this machine: a pass-through proxy that does nothing but
 * forward the request body to the upstream through an undici Pool and pipe the answer back (no
 * authentication, validation, hold, settlement or record). bench/gateway.ts measures it beside
 * Mixgate, on the same thread and against the same fake, so the two overheads can be compared: what
 * Mixgate adds above this floor is Mixgate's own work; the floor itself is Node's HTTP server, the
 * HTTP client and the loopback network on a machine whose cores the load generator and the fake
 * also use.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

export interface BareProxy {
  url: string;
  close(): Promise<void>;
}

export async function startBareProxy(upstreamBaseUrl: string, upstreamPath: string): Promise<BareProxy> {
  const pool = new Pool(upstreamBaseUrl, { connections: 128, pipelining: 1 });
  const server: Server = createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const upstream = await pool.request({
        method: 'POST',
        path: upstreamPath,
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
        body: Buffer.concat(chunks),
      });
      const contentType = upstream.headers['content-type'];
      response.writeHead(
        upstream.statusCode,
        typeof contentType === 'string' ? { 'content-type': contentType } : {},
      );
      for await (const chunk of upstream.body) response.write(chunk);
      response.end();
    } catch {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}
