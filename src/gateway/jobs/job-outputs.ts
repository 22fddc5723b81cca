/**
 * A job's output files, under DATA_DIR/outputs/<job id>/: the provider's download URLs expire, so
 * the bytes are kept here, sealed with the owner's data key (src/privacy/content-files.ts), and
 * served to the job's owner.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { readSealedFile, writeSealedFile } from '../../privacy/content-files.js';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/ogg': 'ogg',
  'audio/flac': 'flac',
  'audio/aac': 'aac',
};

/** The file name extension for a media type (`bin` for one we do not know). */
export function extensionFor(mediaType: string): string {
  return EXTENSIONS[mediaType] ?? 'bin';
}

export interface StoredOutput {
  file: string;
  mediaType: string;
  bytes: number;
}

const JOB_ID = /^job-[0-9a-z]+$/;

function folderOf(dataDir: string, jobId: string): string {
  if (!JOB_ID.test(jobId)) throw new RangeError('Not a job id');
  return path.join(dataDir, 'outputs', jobId);
}

/** Where the file is, relative to the data directory: what its ciphertext is bound to. */
export function jobOutputLocation(jobId: string, file: string): string {
  if (!JOB_ID.test(jobId)) throw new RangeError('Not a job id');
  if (!/^\d+\.[a-z0-9]+$/.test(file)) throw new RangeError('Not an output file name');
  return `outputs/${jobId}/${file}`;
}

/** Sealed with `key`, the data key of the job's owner; `bytes` is the size as made. */
export async function storeJobOutputs(
  dataDir: string,
  jobId: string,
  key: Buffer,
  outputs: ReadonlyArray<{ data: Buffer; mediaType: string }>,
): Promise<StoredOutput[]> {
  await mkdir(folderOf(dataDir, jobId), { recursive: true });
  const stored: StoredOutput[] = [];
  for (const [index, output] of outputs.entries()) {
    const file = `${index}.${extensionFor(output.mediaType)}`;
    await writeSealedFile(dataDir, jobOutputLocation(jobId, file), key, output.data);
    stored.push({ file, mediaType: output.mediaType, bytes: output.data.length });
  }
  return stored;
}

export async function readJobOutput(
  dataDir: string,
  jobId: string,
  key: Buffer,
  file: string,
): Promise<Buffer> {
  return readSealedFile(dataDir, jobOutputLocation(jobId, file), key);
}

export async function deleteJobOutputs(dataDir: string, jobId: string): Promise<void> {
  await rm(folderOf(dataDir, jobId), { recursive: true, force: true });
}
