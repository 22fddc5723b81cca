/**
 * The common machinery of the provider fakes: a real HTTP server on 127.0.0.1 that records what it
 * received, answers with scenarios queued by the test (errors, Retry-After, slow first byte, a
 * stream cut half-way, malformed chunks, an empty answer, a hang) and notices when the client
 * closes the connection before the answer ended. Each provider's fake (`<provider>/fake-*.ts`)
 * formats the answers in that provider's real wire format on top of it. Used by the e2e tests and
 * the benchmarks; never by the product.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the next request is answered. Fields combine; an empty scenario is a normal answer. */
export interface FakeScenario {
  /** Answer with this error status and the provider's error body. */
  status?: number;
  /** With `status`: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** Wait this long before the status line. */
  firstByteDelayMs?: number;
  /** Wait this long between stream chunks (lets a test disconnect mid-stream). */
  chunkDelayMs?: number;
  /** Send half of the stream's chunks (or half the body), then destroy the socket. */
  cutHalfway?: boolean;
  /** Send a chunk (or a body) that is not valid JSON. */
  malformed?: boolean;
  /** Answer successfully with no output at all (no text, no tool call, no image). */
  empty?: boolean;
  /** Never answer; the request ends only when the client gives up. */
  hang?: boolean;
  /** The answer's text instead of the default one. */
  text?: string;
  /** Answer with a call to this tool instead of text. */
  toolCall?: { name: string; arguments: string };
  /** Leave the usage out of the answer (the gateway must count tokens itself). */
  omitUsage?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. `/v1/chat/completions`. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or the raw bytes when it was not JSON (multipart). */
  body: unknown;
  rawBody: Buffer;
  /** Set when the client closed the connection before the answer ended. */
  closedByClient: boolean;
}

/** What a provider fake's handler gets for one request. */
export interface FakeExchange {
  request: RecordedRequest;
  scenario: FakeScenario;
  res: http.ServerResponse;
  /** Sends `chunks` as the body, honouring chunkDelayMs, cutHalfway and malformed. */
  stream(chunks: string[], contentType?: string): Promise<void>;
  /** Sends one complete body (JSON is serialised), honouring cutHalfway and malformed. */
  send(status: number, body: unknown, headers?: Record<string, string>): void;
  /**
   * Sends a binary 200 body (a file, audio, an image). With chunkDelayMs it goes in four chunks
   * with a pause after each, so a test can abort mid-body; cutHalfway then drops the connection
   * after two. Without a delay it is `send`, with its cutHalfway and malformed.
   */
  sendBinary(data: Buffer, headers: Record<string, string>): Promise<void>;
}

export type FakeHandler = (exchange: FakeExchange) => Promise<void> | void;

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  /** Queues scenarios for the next requests, first in first out; after them requests succeed. */
  enqueue(...scenarios: FakeScenario[]): void;
  /** Resolves once `count` requests in all have been closed by their client early. */
  waitForClientCloses(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const queue: FakeScenario[] = [];
  const requests: RecordedRequest[] = [];
  let closes = 0;
  const closeWaiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    let body: unknown = rawBody;
    if ((req.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = rawBody;
      }
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      rawBody,
      closedByClient: false,
    };
    requests.push(request);
    res.on('close', () => {
      if (res.writableFinished) return;
      request.closedByClient = true;
      closes += 1;
      for (const waiter of closeWaiters.splice(0)) {
        if (closes >= waiter.count) waiter.resolve();
        else closeWaiters.push(waiter);
      }
    });
    const scenario = queue.shift() ?? {};
    if (scenario.firstByteDelayMs) await delay(scenario.firstByteDelayMs);
    if (scenario.hang) return;
    if (res.destroyed) return;
    try {
      await handler(makeExchange(request, scenario, res));
    } catch {
      if (!res.headersSent) res.writeHead(500).end('{"error":{"message":"fake failed"}}');
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...scenarios) => queue.push(...scenarios),
    waitForClientCloses(count, timeoutMs = 5_000) {
      if (closes >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${closes} of ${count} client closes`)),
          timeoutMs,
        );
        closeWaiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function makeExchange(
  request: RecordedRequest,
  scenario: FakeScenario,
  res: http.ServerResponse,
): FakeExchange {
  const send: FakeExchange['send'] = (status, body, headers = {}) => {
    const text = Buffer.isBuffer(body)
      ? body
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const contentType = Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json';
    if (scenario.malformed) {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{"id": "broken", "choi');
      return;
    }
    if (scenario.cutHalfway) {
      res.writeHead(status, {
        'content-type': contentType,
        'content-length': String(text.length),
        ...headers,
      });
      res.write(text.subarray(0, Math.floor(text.length / 2)));
      setTimeout(() => res.destroy(), 5);
      return;
    }
    res
      .writeHead(status, { 'content-type': contentType, 'content-length': String(text.length), ...headers })
      .end(text);
  };

  return {
    request,
    scenario,
    res,
    send,
    async stream(chunks, contentType = 'text/event-stream') {
      res.writeHead(200, {
        'content-type': contentType,
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const count = scenario.cutHalfway ? Math.max(1, Math.floor(chunks.length / 2)) : chunks.length;
      for (let i = 0; i < count; i++) {
        if (res.destroyed) return;
        const chunk =
          scenario.malformed && i === Math.floor(count / 2) ? 'data: {"broken": \n\n' : chunks[i]!;
        res.write(chunk);
        if (scenario.chunkDelayMs) await delay(scenario.chunkDelayMs);
      }
      if (scenario.cutHalfway) {
        // Let the written chunks leave before the connection drops, as a crashed upstream would.
        await delay(5);
        res.destroy();
        return;
      }
      res.end();
    },
    async sendBinary(data, headers) {
      if (!scenario.chunkDelayMs) {
        send(200, data, headers);
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': String(data.length) });
      const size = Math.ceil(data.length / 4);
      const count = scenario.cutHalfway ? 2 : 4;
      for (let index = 0; index < count; index++) {
        if (res.destroyed) return;
        res.write(data.subarray(index * size, (index + 1) * size));
        await delay(scenario.chunkDelayMs);
      }
      if (scenario.cutHalfway) res.destroy();
      else res.end();
    },
  };
}

/** The scenario's error answer, when it asks for one: status, Retry-After and the given body. */
export function sendScenarioError(exchange: FakeExchange, body: unknown): boolean {
  const { scenario } = exchange;
  if (!scenario.status) return false;
  const headers: Record<string, string> = {};
  if (scenario.retryAfterSeconds !== undefined) headers['retry-after'] = String(scenario.retryAfterSeconds);
  exchange.res.writeHead(scenario.status, { 'content-type': 'application/json', ...headers });
  exchange.res.end(JSON.stringify(body));
  return true;
}

/**
 * The default answer: deterministic, short, split into word chunks, and derived from the prompt so
 * a test can tell answers apart.
 */
export function fakeReplyText(prompt: string, provider: string): string {
  const quoted = prompt.trim().replace(/\s+/g, ' ').slice(0, 40);
  return `Hello from the ${provider} fake. You said: ${quoted}`;
}

/** Word chunks with their leading spaces, as models stream them. */
export function splitIntoChunks(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** A crude token count for fake usage: one token per four characters, at least one. */
export function fakeTokenCount(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
