import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeServer } from './fake-server.js';

/** 1000 distinct-enough bytes: four chunks of 250. */
const DATA = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251));

let fake: FakeServer;

beforeAll(async () => {
  fake = await startFakeServer((exchange) => exchange.sendBinary(DATA, { 'content-type': 'audio/mpeg' }));
});

afterAll(async () => {
  await fake.close();
});

interface Received {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every chunk as it arrived. */
  chunks: Buffer[];
  /** Whether the body ended cleanly (false: the connection dropped before the end). */
  complete: boolean;
}

/** A GET through node:http, which hands over each chunk as it arrives and reports a cut body. */
function download(): Promise<Received> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${fake.origin}/file`, { agent: false }, (response) => {
      const received: Received = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        chunks: [],
        complete: false,
      };
      response.on('data', (chunk: Buffer) => received.chunks.push(chunk));
      response.on('end', () => resolve({ ...received, complete: response.complete }));
      response.on('error', () => resolve(received));
      response.on('aborted', () => resolve(received));
    });
    request.on('error', reject);
  });
}

describe('FakeExchange.sendBinary', () => {
  it('sends the whole body at once with its length and the given headers', async () => {
    const received = await download();
    expect(received.status).toBe(200);
    expect(received.headers['content-type']).toBe('audio/mpeg');
    expect(received.headers['content-length']).toBe('1000');
    expect(received.complete).toBe(true);
    expect(Buffer.concat(received.chunks).equals(DATA)).toBe(true);
  });

  it('with chunkDelayMs, sends four chunks with a pause after each', async () => {
    fake.enqueue({ chunkDelayMs: 40 });
    const started = performance.now();
    const received = await download();
    const elapsed = performance.now() - started;
    expect(received.complete).toBe(true);
    expect(received.headers['content-length']).toBe('1000');
    expect(Buffer.concat(received.chunks).equals(DATA)).toBe(true);
    expect(received.chunks.length).toBe(4);
    // The last chunk follows three pauses of 40 ms (the body is whole at its Content-Length, before
    // the fourth); timers never fire early, so this lower bound holds on a slow machine too.
    expect(elapsed).toBeGreaterThanOrEqual(3 * 40 - 5);
  });

  it('with chunkDelayMs and cutHalfway, sends two chunks and drops the connection', async () => {
    fake.enqueue({ chunkDelayMs: 20, cutHalfway: true });
    const received = await download();
    expect(received.complete).toBe(false);
    expect(received.headers['content-length']).toBe('1000');
    expect(Buffer.concat(received.chunks).equals(DATA.subarray(0, 500))).toBe(true);
  });

  it('without a delay, cutHalfway sends half the body and drops the connection', async () => {
    fake.enqueue({ cutHalfway: true });
    const received = await download();
    expect(received.complete).toBe(false);
    expect(Buffer.concat(received.chunks).equals(DATA.subarray(0, 500))).toBe(true);
  });

  it('without a delay, malformed sends broken JSON in place of the bytes', async () => {
    fake.enqueue({ malformed: true });
    const received = await download();
    expect(received.complete).toBe(true);
    expect(received.headers['content-type']).toBe('audio/mpeg');
    expect(Buffer.concat(received.chunks).toString('utf8')).toBe('{"id": "broken", "choi');
  });
});
