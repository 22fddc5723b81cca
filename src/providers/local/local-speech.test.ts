import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../fakes/test-outcomes.js';
import type { SpeechRequest } from '../spec.js';
import { ProviderError } from '../spec.js';
import {
  ESPEAK_MISSING_MESSAGE,
  isLocalSpeechAvailable,
  readWav,
  resample,
  speakLocally,
} from './local-speech.js';

const available = await isLocalSpeechAvailable();

function speech(overrides: Partial<SpeechRequest> = {}): SpeechRequest {
  return { model: 'espeak', input: 'Hello from the demo.', voice: 'alloy', format: 'wav', ...overrides };
}

/** A WAV as espeak-ng writes it to stdout: both sizes hold its "unknown length" placeholder. */
function placeholderWav(samples: number[]): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (const [i, sample] of samples.entries()) data.writeInt16LE(sample, i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(0x7ffff024, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(22_050, 24);
  header.writeUInt32LE(44_100, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(0x7ffff000, 40);
  return Buffer.concat([header, data]);
}

describe('local speech without espeak-ng', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'mixgate-local-speech-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('says what to install when the binary is missing, and reports it unavailable', async () => {
    const missing = path.join(directory, 'no-such-espeak-ng');
    const error = await rejection(speakLocally(speech(), { binaryPath: missing }));
    expect(error.kind).toBe('bad_request');
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe(ESPEAK_MISSING_MESSAGE);
    expect(error.message).toContain('apt-get install espeak-ng');
    expect(await isLocalSpeechAvailable(missing)).toBe(false);
  });

  it('refuses formats other than wav and pcm before running anything', async () => {
    for (const format of ['mp3', 'opus', 'aac', 'flac']) {
      const error = await rejection(speakLocally(speech({ format }), { binaryPath: '/nonexistent' }));
      expect(error.kind).toBe('bad_request');
      expect(error.message).toMatch(/only produce wav or pcm/);
    }
  });

  it('refuses inputs longer than 4096 characters', async () => {
    const error = await rejection(
      speakLocally(speech({ input: 'a'.repeat(4097) }), { binaryPath: '/nonexistent' }),
    );
    expect(error.kind).toBe('bad_request');
  });

  it('reports a failing synthesiser as a server error without its output', async () => {
    const script = path.join(directory, 'failing-espeak');
    await writeFile(script, '#!/bin/sh\necho "secret prompt echo" >&2\nexit 3\n');
    await chmod(script, 0o755);
    const error = await rejection(speakLocally(speech(), { binaryPath: script }));
    expect(error.kind).toBe('server');
    expect(error.message).toBe('local speech failed: espeak-ng exited with code 3');
    expect(await isLocalSpeechAvailable(script)).toBe(false);
  });

  it('reports output that is not WAV as malformed', async () => {
    const script = path.join(directory, 'chatty-espeak');
    await writeFile(script, '#!/bin/sh\ncat >/dev/null\necho "not audio"\n');
    await chmod(script, 0o755);
    const error = await rejection(speakLocally(speech(), { binaryPath: script }));
    expect(error.kind).toBe('malformed');
  });
});

describe('WAV handling', () => {
  it('replaces the placeholder sizes espeak-ng writes to stdout with the real ones', () => {
    const wav = readWav(placeholderWav([1, -2, 3]));
    expect(wav.file.readUInt32LE(4)).toBe(44 + 6 - 8);
    expect(wav.file.readUInt32LE(40)).toBe(6);
    expect([wav.sampleRate, wav.channels, wav.bitsPerSample]).toEqual([22_050, 1, 16]);
    expect([...wav.samples]).toEqual([1, 0, 0xfe, 0xff, 3, 0]);
  });

  it('refuses bytes that are not WAV', () => {
    expect(() => readWav(Buffer.from('not a wav file at all'))).toThrow(ProviderError);
  });

  it('resamples 16-bit mono by linear interpolation', () => {
    const samples = Buffer.alloc(8);
    for (const [i, sample] of [0, 1000, 2000, 3000].entries()) samples.writeInt16LE(sample, i * 2);
    const doubled = resample(samples, 1, 2);
    const values = Array.from({ length: doubled.length / 2 }, (_, i) => doubled.readInt16LE(i * 2));
    expect(values).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3000]);
    expect(resample(samples, 22_050, 22_050).equals(samples)).toBe(true);
    expect(resample(Buffer.alloc(22_050 * 2), 22_050, 24_000).length).toBe(24_000 * 2);
  });
});

describe.skipIf(!available)('local speech with espeak-ng', () => {
  it('speaks WAV with correct sizes and bills the input characters', async () => {
    const result = await speakLocally(speech());
    expect(result.mediaType).toBe('audio/wav');
    expect(result.characters).toBe('Hello from the demo.'.length);
    const wav = readWav(result.audio);
    expect(result.audio.readUInt32LE(4)).toBe(result.audio.length - 8);
    expect(wav.samples.length).toBeGreaterThan(22_050); // more than half a second of speech
    expect(wav.samples.some((byte) => byte !== 0)).toBe(true);
  });

  it('gives pcm as headerless 24 kHz samples, as OpenAI clients expect', async () => {
    const wav = readWav((await speakLocally(speech())).audio);
    const pcm = await speakLocally(speech({ format: 'pcm' }));
    expect(pcm.mediaType).toBe('audio/pcm');
    expect(pcm.audio.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
    const expected = Math.floor((wav.samples.length / 2) * (24_000 / wav.sampleRate)) * 2;
    expect(pcm.audio.length).toBe(expected);
  });

  it('uses espeak-ng voices when named and English for other voice names', async () => {
    const english = (await speakLocally(speech({ voice: 'en' }))).audio;
    expect((await speakLocally(speech({ voice: 'alloy' }))).audio.equals(english)).toBe(true);
    expect((await speakLocally(speech({ voice: 'EN' }))).audio.equals(english)).toBe(true);
    expect((await speakLocally(speech({ voice: 'de' }))).audio.equals(english)).toBe(false);
    expect((await speakLocally(speech({ voice: 'en+f3' }))).audio.equals(english)).toBe(false);
    expect((await speakLocally(speech({ voice: 'en+nonsense' }))).audio.equals(english)).toBe(true);
  });

  it('speaks faster when asked', async () => {
    const normal = readWav((await speakLocally(speech())).audio).samples.length;
    const fast = readWav((await speakLocally(speech({ speed: 2 }))).audio).samples.length;
    expect(fast).toBeLessThan(normal * 0.75);
  });

  it('stops espeak-ng and reports aborted when the signal fires', async () => {
    const controller = new AbortController();
    const long = 'This sentence is spoken many times over. '.repeat(95);
    const started = Date.now();
    const pending = speakLocally(speech({ input: long }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pending);
    expect(error.kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('passes a ProviderError abort reason through unchanged', async () => {
    const reason = new ProviderError('timeout', 'local did not answer in time');
    const error = await rejection(speakLocally(speech(), { signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
  });
});
