/**
 * What the retention engine deletes, one rule per kind of data, each with the period the data map
 * gives its category. A rule never touches data of a subject under a legal hold.
 */
import { open, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import {
  CLOSED_ACCOUNTS_RULE,
  CLOSED_ORGANISATIONS_RULE,
  UNVERIFIED_ACCOUNTS_RULE,
} from '../../accounts/termination/termination-retention-rules.js';
import type { AppContext } from '../../app-context.js';
import type { Config } from '../../config.js';
import type { DataCategoryId } from '../datamap.js';
import type { RetentionSetting } from '../datamap-types.js';
import { billingRecordsRule, ledgerRedaction } from './billing-retention.js';
import { anonymousConsentRule } from './consent-retention.js';
import type { ActiveHolds } from './legal-holds.js';
import { supportTicketsRule } from './support-retention.js';
import { usageRecords } from './usage-retention.js';

const DAY_MS = 86_400_000;

export interface RetentionContext {
  pool: pg.Pool;
  config: Pick<Config, RetentionSetting | 'dataDir'>;
  now: Date;
  holds: ActiveHolds;
  /**
   * For a rule that logs and tells what it deleted (a closed organisation's, to its owner): the
   * daily sweep passes it; without it, such a rule does nothing.
   */
  app?: Pick<AppContext, 'db' | 'config' | 'mailer'>;
}

export interface RetentionRule {
  name: string;
  category: DataCategoryId;
  setting: RetentionSetting;
  /** Deletes (or redacts) what is past the period; returns how many rows or files it affected. */
  sweep(context: RetentionContext, cutoff: Date): Promise<number>;
}

async function affected(pool: pg.Pool, text: string, values: unknown[]): Promise<number> {
  return (await pool.query(text, values)).rowCount ?? 0;
}

export const ENDED_CREDENTIALS_RULE: RetentionRule = {
  name: 'ended sessions and one-time links',
  category: 'technical',
  setting: 'RETENTION_ENDED_CREDENTIALS_DAYS',
  async sweep({ pool, holds }, cutoff) {
    const sessions = await affected(
      pool,
      `DELETE FROM sessions
        WHERE (expires_at < $1 OR revoked_at < $1) AND NOT (user_id = ANY($2::uuid[]))`,
      [cutoff, holds.userIds],
    );
    const tokens = await affected(
      pool,
      `DELETE FROM user_tokens
        WHERE (expires_at < $1 OR used_at < $1) AND NOT (user_id = ANY($2::uuid[]))`,
      [cutoff, holds.userIds],
    );
    return sessions + tokens;
  },
};

/**
 * The security log is hash-chained: deleting a row would break the chain for every later row, so
 * its personal columns are cleared instead and the row stays as a link (verify-security-log.ts
 * checks a redacted row's links, not its content). The migration's trigger allows exactly this.
 */
const securityLog: RetentionRule = {
  name: 'security log entries',
  category: 'security_log',
  setting: 'RETENTION_SECURITY_LOG_DAYS',
  async sweep({ pool, holds, now }, cutoff) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('mixgate.security_log_redaction', 'on', true)`);
      const count = await affected(
        client as unknown as pg.Pool,
        `UPDATE security_events
            SET user_id = NULL, actor_id = NULL, ip = NULL, user_agent = NULL, details = '{}'::jsonb, redacted_at = $3
          WHERE occurred_at < $1 AND redacted_at IS NULL
            AND NOT (coalesce(user_id, '00000000-0000-0000-0000-000000000000') = ANY($2::uuid[]))
            AND NOT (coalesce(actor_id, '00000000-0000-0000-0000-000000000000') = ANY($2::uuid[]))`,
        [cutoff, holds.userIds, now],
      );
      await client.query('COMMIT');
      return count;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  },
};

const resolvedReports: RetentionRule = {
  name: 'resolved output reports',
  category: 'reports',
  setting: 'RETENTION_SUPPORT_MESSAGES_DAYS',
  async sweep({ pool, holds }, cutoff) {
    return affected(
      pool,
      `DELETE FROM output_reports
        WHERE status <> 'open' AND created_at < $1 AND NOT (user_id = ANY($2::uuid[]))`,
      [cutoff, holds.userIds],
    );
  },
};

/** Reads the To: header of a mail file (the first few kilobytes hold the headers). Erasure uses it too. */
export async function mailRecipient(file: string): Promise<string | null> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const headers =
      buffer
        .subarray(0, bytesRead)
        .toString('utf8')
        .split(/\r?\n\r?\n/)[0] ?? '';
    const to = /^To:\s*(.+)$/im.exec(headers)?.[1] ?? null;
    return to ? (/<([^>]+)>/.exec(to)?.[1] ?? to).trim().toLowerCase() : null;
  } finally {
    await handle.close();
  }
}

const mailFiles: RetentionRule = {
  name: 'mail files',
  category: 'mail',
  setting: 'RETENTION_TECHNICAL_LOGS_DAYS',
  async sweep({ pool, config, holds }, cutoff) {
    const directory = path.join(config.dataDir, 'mail');
    let names: string[];
    try {
      names = (await readdir(directory)).filter((name) => name.endsWith('.eml'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const heldEmails = new Set(
      holds.userIds.length === 0
        ? []
        : (
            await pool.query<{ email: string }>('SELECT email FROM users WHERE id = ANY($1::uuid[])', [
              holds.userIds,
            ])
          ).rows.map((row) => row.email.toLowerCase()),
    );
    let deleted = 0;
    for (const name of names) {
      const file = path.join(directory, name);
      const stats = await stat(file).catch(() => null);
      if (!stats || stats.mtime >= cutoff) continue;
      const recipient = await mailRecipient(file);
      if (recipient && heldEmails.has(recipient)) continue;
      await unlink(file).catch(() => {});
      deleted += 1;
    }
    return deleted;
  },
};

export const RETENTION_RULES: readonly RetentionRule[] = [
  ENDED_CREDENTIALS_RULE,
  securityLog,
  resolvedReports,
  mailFiles,
  CLOSED_ACCOUNTS_RULE,
  UNVERIFIED_ACCOUNTS_RULE,
  CLOSED_ORGANISATIONS_RULE,
  billingRecordsRule,
  ledgerRedaction,
  usageRecords,
  anonymousConsentRule,
  supportTicketsRule,
];

export function cutoffFor(rule: RetentionRule, context: RetentionContext): Date {
  return new Date(context.now.getTime() - context.config[rule.setting] * DAY_MS);
}
