import type { Db } from './database.js';

/** The `tx` a drizzle transaction callback receives; nested `tx.transaction` calls become savepoints. */
export type DbTransaction = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTransaction = Db | DbTransaction;
