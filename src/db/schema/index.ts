export * from './accounts.js';
export * from './audit.js';
export * from './gateway-jobs.js';
export * from './generations.js';
export * from './ledger.js';
export * from './legal.js';
export * from './organisations.js';
export * from './studio.js';
