/**
 * What sealing content costs (DESIGN.md "Privacy by design"): a chat message, a message with a
 * 1 MB image attached and a 1 MB file, sealed and opened with a user data key as the studio stores
 * them (src/studio/conversation-content.ts, src/privacy/content-cipher.ts), against handling the
 * same content in plaintext: JSON.stringify / JSON.parse for messages (what storing them as jsonb
 * cost the server before), the file written and read as it is. In this process, without the
 * database; the files in the system's temporary folder.
 *
 * The /v1 gateway stores no content (generation records hold no prompt or output), so its
 * benchmark (bench/gateway.ts) pays nothing for encryption; only POST /v1/jobs seals its input,
 * once, until the provider has it. A studio chat turn seals two messages and opens its branch.
 *
 * `npm run bench` runs it after the ledger benchmark; `tsx bench/content-cipher.ts` runs it alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StoredMessageContent } from '../src/db/schema/index.js';
import { openBytes, sealBytes } from '../src/privacy/content-cipher.js';
import {
  openMessage,
  type SealedMessageRow,
  sealMessageContent,
} from '../src/studio/conversation-content.js';

const SECONDS = Number(process.env.CONTENT_BENCH_SECONDS ?? 0.5);

export interface ContentBenchRow {
  operation: string;
  bytes: number;
  plainMicros: number;
  sealedMicros: number;
}

/** Mean microseconds per call of `operation`, after a warm-up, over about SECONDS seconds. */
function timed(operation: () => unknown): number {
  const warmUpEnd = performance.now() + 100;
  while (performance.now() < warmUpEnd) operation();
  let calls = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  while (performance.now() < end) {
    for (let batch = 0; batch < 10; batch++) operation();
    calls += 10;
  }
  return ((performance.now() - started) * 1000) / calls;
}

function messageRow(id: string, sealed: ReturnType<typeof sealMessageContent>): SealedMessageRow {
  return {
    id,
    conversationId: randomUUID(),
    parentId: null,
    role: 'user',
    ...sealed,
    model: null,
    generationId: null,
    cost: null,
    status: 'complete',
    error: null,
    createdAt: new Date(),
    sequence: 1,
  };
}

function messageCase(operation: string, content: StoredMessageContent, key: Buffer): ContentBenchRow[] {
  const id = randomUUID();
  const json = JSON.stringify(content);
  const row = messageRow(id, sealMessageContent(key, id, content));
  return [
    {
      operation: `${operation}: store`,
      bytes: Buffer.byteLength(json),
      plainMicros: timed(() => JSON.stringify(content)),
      sealedMicros: timed(() => sealMessageContent(key, id, content)),
    },
    {
      operation: `${operation}: read`,
      bytes: Buffer.byteLength(json),
      plainMicros: timed(() => JSON.parse(json)),
      sealedMicros: timed(() => openMessage(key, row)),
    },
  ];
}

export function runContentCipherBench(): ContentBenchRow[] {
  const key = randomBytes(32);
  const text = 'The quick brown fox jumps over the lazy dog, then asks about sourdough. '.repeat(20);
  const image = randomBytes(1024 * 1024);
  const file = randomBytes(1024 * 1024);
  const location = `studio/${randomUUID()}/${randomUUID()}-0.png`;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'mg-content-bench-'));
  const plainFile = path.join(folder, 'plain.png');
  const sealedFile = path.join(folder, 'sealed.png');
  writeFileSync(plainFile, file);
  writeFileSync(sealedFile, sealBytes(key, file, location));
  const rows = [
    ...messageCase('chat message (1.4 KB text)', { text }, key),
    ...messageCase(
      'message with a 1 MB image',
      {
        text: 'What is in this picture?',
        attachments: [
          {
            kind: 'image',
            name: 'photo.png',
            mediaType: 'image/png',
            dataUrl: `data:image/png;base64,${image.toString('base64')}`,
          },
        ],
      },
      key,
    ),
    {
      operation: '1 MB file: store',
      bytes: file.length,
      plainMicros: timed(() => writeFileSync(plainFile, file)),
      sealedMicros: timed(() => writeFileSync(sealedFile, sealBytes(key, file, location))),
    },
    {
      operation: '1 MB file: read',
      bytes: file.length,
      plainMicros: timed(() => readFileSync(plainFile)),
      sealedMicros: timed(() => openBytes(key, readFileSync(sealedFile), location)),
    },
  ];
  rmSync(folder, { recursive: true, force: true });
  console.log(
    '\nContent encryption (AES-256-GCM with a user data key) against plaintext handling, in process\n',
  );
  console.log('| operation | bytes | plaintext µs | sealed µs | ratio | sealed MB/s |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const cells = [
      row.operation,
      row.bytes.toLocaleString('en'),
      row.plainMicros.toFixed(1),
      row.sealedMicros.toFixed(1),
      (row.sealedMicros / row.plainMicros).toFixed(2),
      (row.bytes / row.sealedMicros).toFixed(0),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(
    '\nplaintext: JSON.stringify / JSON.parse (messages), the file written and read as it is. The /v1 gateway stores no content: encryption costs its benchmark nothing.',
  );
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runContentCipherBench();
}
