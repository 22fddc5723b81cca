/**
 * The local demo's speech: espeak-ng (https://github.com/espeak-ng/espeak-ng), a formant
 * synthesiser that runs offline. It sounds robotic, which is honest for a demo. espeak-ng is an
 * optional system package; without it local speech is refused with a message saying what to install.
 */
import { spawn } from 'node:child_process';
import type { SpeechRequest, SpeechResult } from '../spec.js';
import { ProviderError } from '../spec.js';

export const ESPEAK_MISSING_MESSAGE =
  'Local speech needs espeak-ng installed on the server (apt-get install espeak-ng)';
const DEFAULT_BINARY = 'espeak-ng';
const DEFAULT_VOICE = 'en';
/** espeak-ng's own default rate; OpenAI's `speed` multiplies it. */
const WORDS_PER_MINUTE = 175;
/** As OpenAI's speech endpoint: longer inputs are the client's to split. */
const MAX_INPUT_CHARACTERS = 4096;
/** OpenAI's `pcm` is 24 kHz, 16-bit little-endian mono; clients assume that rate. */
const PCM_SAMPLE_RATE = 24_000;

export interface LocalSpeechOptions {
  signal?: AbortSignal;
  /** The espeak-ng executable: a name looked up in PATH or a path. */
  binaryPath?: string;
}

export async function speakLocally(
  request: SpeechRequest,
  options: LocalSpeechOptions = {},
): Promise<SpeechResult> {
  const binary = options.binaryPath ?? DEFAULT_BINARY;
  if (request.format !== 'wav' && request.format !== 'pcm') {
    throw new ProviderError('bad_request', 'local speech can only produce wav or pcm audio');
  }
  if (request.input.length > MAX_INPUT_CHARACTERS) {
    throw new ProviderError('bad_request', `local speech takes at most ${MAX_INPUT_CHARACTERS} characters`);
  }
  const voice = await resolveVoice(binary, request.voice);
  const speed = Math.min(4, Math.max(0.25, request.speed ?? 1));
  const wordsPerMinute = Math.round(Math.min(450, Math.max(80, WORDS_PER_MINUTE * speed)));
  // The text goes in on stdin, never as an argument: nothing in it can be read as an option.
  const result = await run(
    binary,
    ['--stdout', '-b', '1', '-v', voice, '-s', String(wordsPerMinute)],
    request.input,
    options.signal,
  );
  if (result.code !== 0) {
    throw new ProviderError('server', `local speech failed: espeak-ng exited with code ${result.code}`);
  }
  const wav = readWav(result.stdout);
  const characters = request.input.length;
  if (request.format === 'pcm') {
    const isMono16 = wav.channels === 1 && wav.bitsPerSample === 16;
    const audio = isMono16 ? resample(wav.samples, wav.sampleRate, PCM_SAMPLE_RATE) : wav.samples;
    return { audio, mediaType: 'audio/pcm', characters };
  }
  return { audio: wav.file, mediaType: 'audio/wav', characters };
}

/** True when espeak-ng runs here; the catalog can hide local speech otherwise. */
export async function isLocalSpeechAvailable(binaryPath = DEFAULT_BINARY): Promise<boolean> {
  try {
    return (await run(binaryPath, ['--version'], undefined, AbortSignal.timeout(5_000))).code === 0;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Voices

interface VoiceList {
  /** Lower-cased language code or voice file -> the spelling espeak-ng expects. */
  voices: Map<string, string>;
  variants: Map<string, string>;
}

/** Listed once per binary; a failed listing is forgotten so installing espeak-ng later works. */
const voiceLists = new Map<string, Promise<VoiceList>>();

/**
 * The request's voice when espeak-ng knows it (`de`, `en-us`, `gmw/en-US`, `en+f3`), otherwise
 * English: clients send OpenAI voice names like `alloy`, which should still get speech.
 */
async function resolveVoice(binary: string, requested: string): Promise<string> {
  let list = voiceLists.get(binary);
  if (!list) {
    // Shared by concurrent requests, so bounded by its own timeout rather than one request's signal.
    list = listVoices(binary, AbortSignal.timeout(10_000));
    voiceLists.set(binary, list);
    list.catch(() => voiceLists.delete(binary));
  }
  const { voices, variants } = await list;
  const [base = '', variant, ...rest] = requested.trim().toLowerCase().split('+');
  const voice = voices.get(base);
  if (!voice || rest.length > 0) return DEFAULT_VOICE;
  if (variant === undefined) return voice;
  const knownVariant = variants.get(variant);
  return knownVariant ? `${voice}+${knownVariant}` : voice;
}

async function listVoices(binary: string, signal: AbortSignal): Promise<VoiceList> {
  const [languages, variantList] = await Promise.all([
    run(binary, ['--voices'], undefined, signal),
    run(binary, ['--voices=variant'], undefined, signal),
  ]);
  const voices = new Map<string, string>();
  for (const row of voiceRows(languages.stdout)) {
    voices.set(row.language.toLowerCase(), row.language);
    voices.set(row.file.toLowerCase(), row.file);
    for (const [, other] of row.others.matchAll(/\(([^\s)]+) \d+\)/g)) {
      if (other && !voices.has(other.toLowerCase())) voices.set(other.toLowerCase(), other);
    }
  }
  const variants = new Map<string, string>();
  for (const row of voiceRows(variantList.stdout)) {
    const name = row.file.replace(/^!v\//, '');
    variants.set(name.toLowerCase(), name);
  }
  return { voices, variants };
}

/** Rows of `espeak-ng --voices`: `Pty Language Age/Gender VoiceName File Other Languages`. */
function* voiceRows(listing: Buffer): Generator<{ language: string; file: string; others: string }> {
  for (const line of listing.toString('utf8').split('\n')) {
    const match = /^\s*\d+\s+(\S+)\s+\S+\s+\S+\s+(\S+)\s*(.*)$/.exec(line);
    if (match) yield { language: match[1]!, file: match[2]!, others: match[3]! };
  }
}

// ---------------------------------------------------------------------------------------------
// Running espeak-ng

/** espeak-ng's WAV for 4,096 characters is a few MB; more means something is wrong. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function run(
  binary: string,
  args: string[],
  input: string | undefined,
  signal: AbortSignal | undefined,
): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal));
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'ignore'], signal });
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        child.kill('SIGKILL');
        reject(new ProviderError('server', 'local speech produced more audio than expected'));
      } else chunks.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (signal?.aborted) reject(abortedError(signal));
      else if (error.code === 'ENOENT' || error.code === 'EACCES') {
        reject(new ProviderError('bad_request', ESPEAK_MISSING_MESSAGE));
      } else
        reject(
          new ProviderError('server', `local speech could not start espeak-ng (${error.code ?? 'error'})`),
        );
    });
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks) }));
    // A process that dies early closes stdin under us; its exit code tells the story instead.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

function abortedError(signal: AbortSignal): ProviderError {
  return signal.reason instanceof ProviderError
    ? signal.reason
    : new ProviderError('aborted', 'the request to local was cancelled');
}

// ---------------------------------------------------------------------------------------------
// WAV

interface Wav {
  /** The file with its RIFF and data sizes corrected. */
  file: Buffer;
  samples: Buffer;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

/**
 * espeak-ng writes its WAV header before it knows the length, so with `--stdout` both sizes hold
 * a placeholder (0x7ffff000-ish); players that trust them misbehave. The sizes are set from the
 * bytes actually received.
 */
export function readWav(file: Buffer): Wav {
  if (
    file.length < 12 ||
    file.toString('latin1', 0, 4) !== 'RIFF' ||
    file.toString('latin1', 8, 12) !== 'WAVE'
  ) {
    throw new ProviderError('malformed', 'espeak-ng produced something that is not WAV audio');
  }
  let offset = 12;
  let format: { sampleRate: number; channels: number; bitsPerSample: number } | undefined;
  while (offset + 8 <= file.length) {
    const id = file.toString('latin1', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= file.length) {
      format = {
        channels: file.readUInt16LE(offset + 10),
        sampleRate: file.readUInt32LE(offset + 12),
        bitsPerSample: file.readUInt16LE(offset + 22),
      };
    }
    if (id === 'data') {
      if (!format) break;
      const fixed = Buffer.from(file);
      fixed.writeUInt32LE(file.length - 8, 4);
      fixed.writeUInt32LE(file.length - offset - 8, offset + 4);
      return { file: fixed, samples: fixed.subarray(offset + 8), ...format };
    }
    offset += 8 + size + (size % 2);
  }
  throw new ProviderError('malformed', 'espeak-ng produced WAV audio without a format or data chunk');
}

/**
 * 16-bit mono samples from one rate to another by linear interpolation (espeak-ng speaks at
 * 22,050 Hz). Good enough for a formant voice, which has little energy near the top.
 */
export function resample(samples: Buffer, fromRate: number, toRate: number): Buffer {
  const count = Math.floor(samples.length / 2);
  if (fromRate === toRate || count === 0) return Buffer.from(samples.subarray(0, count * 2));
  const outCount = Math.floor((count * toRate) / fromRate);
  const out = Buffer.alloc(outCount * 2);
  const step = fromRate / toRate;
  for (let i = 0; i < outCount; i++) {
    const position = i * step;
    const index = Math.floor(position);
    const fraction = position - index;
    const a = samples.readInt16LE(index * 2);
    const b = index + 1 < count ? samples.readInt16LE((index + 1) * 2) : a;
    out.writeInt16LE(Math.round(a + (b - a) * fraction), i * 2);
  }
  return out;
}
