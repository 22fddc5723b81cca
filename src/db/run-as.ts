import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface OsIdentity {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. When Mixgate runs as root (CI, containers) it runs the
 * server as the `postgres` OS user, creating that user when it does not exist.
 */
export async function postgresIdentity(): Promise<OsIdentity | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookupUser('postgres');
  if (existing) return existing;
  await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
  await execFileAsync('useradd', [
    '--system',
    '-g',
    'postgres',
    '--no-create-home',
    '-s',
    '/usr/sbin/nologin',
    'postgres',
  ]);
  const created = await lookupUser('postgres');
  if (!created) throw new Error('Could not create the "postgres" OS user needed to run PostgreSQL as root.');
  return created;
}

async function lookupUser(name: string): Promise<OsIdentity | undefined> {
  try {
    const uid = await execFileAsync('id', ['-u', name]);
    const gid = await execFileAsync('id', ['-g', name]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

export interface CommandResult {
  code: number | null;
  output: string;
}

/** Runs a command (as `identity` when given) and collects stdout+stderr. */
export function runCommand(command: string, args: string[], identity?: OsIdentity): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(identity ?? {}),
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
