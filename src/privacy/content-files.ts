/**
 * Content kept as files under the data directory (studio outputs, job outputs): each file is one
 * AES-GCM blob sealed with its owner's data key and bound to its path (content-cipher.ts), so a
 * file copied or renamed elsewhere does not open. `location` is that path relative to the data
 * directory, with forward slashes (`studio/<user id>/<file>`, `outputs/<job id>/<file>`).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isSealedBytes, openBytes, sealBytes } from './content-cipher.js';

export function contentFilePath(dataDir: string, location: string): string {
  return path.join(dataDir, ...location.split('/'));
}

/**
 * Writes beside the file, then renames it into place: a crash mid-write leaves a stray `.tmp-`
 * file, never a truncated one under the real name.
 */
async function replaceFile(file: string, data: Buffer): Promise<void> {
  const temporary = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(temporary, data, { mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function writeSealedFile(
  dataDir: string,
  location: string,
  key: Buffer,
  data: Buffer,
): Promise<void> {
  await replaceFile(contentFilePath(dataDir, location), sealBytes(key, data, location));
}

/** The file's bytes, opened; a file written before encryption is returned as it is until it is sealed. */
export async function readSealedFile(dataDir: string, location: string, key: Buffer): Promise<Buffer> {
  const blob = await readFile(contentFilePath(dataDir, location));
  return isSealedBytes(blob) ? openBytes(key, blob, location) : blob;
}

/** Seals a file written before encryption, in place; false when it already was sealed. */
export async function sealFileInPlace(dataDir: string, location: string, key: Buffer): Promise<boolean> {
  const file = contentFilePath(dataDir, location);
  const blob = await readFile(file);
  if (isSealedBytes(blob)) return false;
  await replaceFile(file, sealBytes(key, blob, location));
  return true;
}

/** Whether a file name is one of replaceFile's unfinished temporaries. */
export function isTemporaryFile(name: string): boolean {
  return /\.tmp-[0-9a-f]{12}$/.test(name);
}
