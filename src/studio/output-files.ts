/**
 * The files of studio outputs answered at once, under DATA_DIR/studio/<user id>/<output id>-<n>.<ext>
 * (as a job's outputs are kept under DATA_DIR/outputs/<job id>/), sealed with the owner's data key
 * (src/privacy/content-files.ts): the gallery serves them to their owner and deletes them with the
 * output.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { StoredStudioFile } from '../db/schema/index.js';
import { extensionFor } from '../gateway/jobs/job-outputs.js';
import { readSealedFile, writeSealedFile } from '../privacy/content-files.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FILE_NAME = /^[0-9a-f-]{36}-\d+\.[a-z0-9]+$/;

function folderOf(dataDir: string, userId: string): string {
  if (!UUID.test(userId)) throw new RangeError('Not a user id');
  return path.join(dataDir, 'studio', userId);
}

/** The path of one stored file; only names this module made are accepted. */
export function outputFilePath(dataDir: string, userId: string, file: string): string {
  return path.join(folderOf(dataDir, userId), checkedName(file));
}

/** Where the file is, relative to the data directory: what its ciphertext is bound to. */
export function outputFileLocation(userId: string, file: string): string {
  if (!UUID.test(userId)) throw new RangeError('Not a user id');
  return `studio/${userId}/${checkedName(file)}`;
}

function checkedName(file: string): string {
  if (!FILE_NAME.test(file)) throw new RangeError('Not a studio output file name');
  return file;
}

/** `bytes` is the size of the file as made (sealing adds a few bytes on disk). */
export async function storeOutputFiles(
  dataDir: string,
  userId: string,
  key: Buffer,
  outputId: string,
  outputs: ReadonlyArray<{ data: Buffer; mediaType: string }>,
): Promise<StoredStudioFile[]> {
  if (!UUID.test(outputId)) throw new RangeError('Not an output id');
  await mkdir(folderOf(dataDir, userId), { recursive: true });
  const stored: StoredStudioFile[] = [];
  try {
    for (const [index, output] of outputs.entries()) {
      const file = `${outputId}-${index}.${extensionFor(output.mediaType)}`;
      await writeSealedFile(dataDir, outputFileLocation(userId, file), key, output.data);
      stored.push({ file, mediaType: output.mediaType, bytes: output.data.length });
    }
  } catch (error) {
    await deleteOutputFiles(dataDir, userId, stored);
    throw error;
  }
  return stored;
}

export async function readOutputFile(
  dataDir: string,
  userId: string,
  key: Buffer,
  file: string,
): Promise<Buffer> {
  return readSealedFile(dataDir, outputFileLocation(userId, file), key);
}

export async function deleteOutputFiles(
  dataDir: string,
  userId: string,
  files: ReadonlyArray<StoredStudioFile>,
): Promise<void> {
  for (const { file } of files) await rm(outputFilePath(dataDir, userId, file), { force: true });
}
