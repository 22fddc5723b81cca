/**
 * A job's output files, under DATA_DIR/outputs/<job id>/: the provider's download URLs expire, so
 * the bytes are kept here and served to the job's owner.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

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

function folderOf(dataDir: string, jobId: string): string {
  if (!/^job-[0-9a-z]+$/.test(jobId)) throw new RangeError('Not a job id');
  return path.join(dataDir, 'outputs', jobId);
}

export async function storeJobOutputs(
  dataDir: string,
  jobId: string,
  outputs: ReadonlyArray<{ data: Buffer; mediaType: string }>,
): Promise<StoredOutput[]> {
  const folder = folderOf(dataDir, jobId);
  await mkdir(folder, { recursive: true });
  const stored: StoredOutput[] = [];
  for (const [index, output] of outputs.entries()) {
    const file = `${index}.${extensionFor(output.mediaType)}`;
    await writeFile(path.join(folder, file), output.data);
    stored.push({ file, mediaType: output.mediaType, bytes: output.data.length });
  }
  return stored;
}

export async function readJobOutput(dataDir: string, jobId: string, file: string): Promise<Buffer> {
  if (!/^\d+\.[a-z0-9]+$/.test(file)) throw new RangeError('Not an output file name');
  return readFile(path.join(folderOf(dataDir, jobId), file));
}

export async function deleteJobOutputs(dataDir: string, jobId: string): Promise<void> {
  await rm(folderOf(dataDir, jobId), { recursive: true, force: true });
}
