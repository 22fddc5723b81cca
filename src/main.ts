import { Command } from 'commander';
import { createApiKey } from './accounts/api-keys.js';
import { findUserByEmail } from './accounts/find-user.js';
import { verifySecurityLog } from './audit/verify-security-log.js';
import { catalogCheckCommand, catalogListCommand } from './catalog/catalog-commands.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createStaffUser, createUserByOperator } from './console/create-staff.js';
import { type Db, openDatabase } from './db/database.js';
import { creditCommand, ledgerCheckCommand } from './ledger/ledger-commands.js';
import { rotateMasterKeyCommand } from './privacy/content-rotate-command.js';
import { openRuntime, type Runtime } from './runtime.js';
import { serve } from './serve.js';

/** Runs a CLI command against the same database as the server (running or not), then closes. */
async function withRuntime(task: (runtime: Runtime) => Promise<number | undefined>): Promise<void> {
  const config = loadConfigOrExit();
  const runtime = await openRuntime(config);
  let code = 0;
  try {
    code = (await task(runtime)) ?? 0;
  } finally {
    await runtime.close({ stopEmbedded: true });
  }
  process.exitCode = code;
}

/** Like withRuntime for commands that need only the database: no master key, mail or seeding. */
async function withDatabase(task: (db: Db, config: Config) => Promise<number>): Promise<void> {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  let code = 0;
  try {
    code = await task(database.db, config);
  } finally {
    await database.close({ stopEmbedded: true });
  }
  process.exitCode = code;
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const program = new Command('mixgate')
  .description('Mixgate: one API and web app over many AI providers')
  .showHelpAfterError();

program
  .command('serve')
  .description('Start the server (and the embedded PostgreSQL unless DATABASE_URL is set)')
  .action(async () => serve(loadConfigOrExit()));

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => {
    const database = await openDatabase(loadConfigOrExit());
    await database.close({ stopEmbedded: true });
    console.log('Migrations applied.');
  });

const admin = program.command('admin').description('Operator staff');
admin
  .command('create')
  .description('Create a staff account (or give an existing user a staff role)')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .option('--role <role>', 'admin, support, billing or privacy', 'admin')
  .option('--username <username>')
  .action(async (options: { email: string; password: string; role: string; username?: string }) =>
    withRuntime(async ({ ctx }) => {
      const user = await createStaffUser(ctx, options);
      console.log(`Staff account ${user.email} (${options.role}) ready.`);
      return 0;
    }),
  );

const users = program.command('users').description('User accounts');
users
  .command('create')
  .description('Create a verified user account')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .option('--username <username>')
  .action(async (options: { email: string; password: string; username?: string }) =>
    withRuntime(async ({ ctx }) => {
      const user = await createUserByOperator(ctx, options);
      console.log(`User ${user.email} (${user.username}) created.`);
      return 0;
    }),
  );

const keys = program.command('keys').description('API keys');
keys
  .command('create')
  .description('Create an API key for a user and print it (shown once)')
  .requiredOption('--email <email>', "the user's e-mail")
  .option('--name <name>', 'a name for the key', 'CLI key')
  .action(async (options: { email: string; name: string }) =>
    withRuntime(async ({ ctx }) => {
      const user = await findUserByEmail(ctx.db, options.email);
      if (!user) {
        console.error(`No user with e-mail ${options.email}`);
        return 1;
      }
      const created = await createApiKey(ctx.db, { userId: user.id, name: options.name }, null, ctx.now());
      console.log(created.key);
      return 0;
    }),
  );
keys
  .command('rotate-master')
  .description(
    'Re-seal every user data key and secret under a new master key (MIXGATE_NEW_MASTER_KEY, else generated); stop every instance first',
  )
  .action(async () => withRuntime(async ({ ctx }) => rotateMasterKeyCommand(ctx, console)));

const audit = program.command('audit').description('Security log');
audit
  .command('verify')
  .description('Check the security log hash chain; exit 1 when a row was altered or removed')
  .action(async () =>
    withRuntime(async ({ ctx }) => {
      const result = await verifySecurityLog(ctx.db);
      if (result.ok) {
        console.log(
          `Security log intact: ${result.checked} events verified` +
            (result.redacted > 0
              ? ` (${result.redacted} redacted by retention: links checked, content gone).`
              : '.'),
        );
        return 0;
      }
      console.error(`Security log TAMPERED at event ${result.firstBadId}: ${result.reason}`);
      return 1;
    }),
  );

program
  .command('credit')
  .description("Add credit to a user's wallet (or take it with --debit); logged with the reason")
  .requiredOption('--email <email>', "the user's e-mail")
  .requiredOption('--amount <units>', 'how much, such as 12.50')
  .requiredOption('--reason <text>', 'why, for the transaction history and the security log')
  .option('--debit', 'take the amount out of the wallet (at most its available balance)')
  .action(async (options: { email: string; amount: string; reason: string; debit?: boolean }) =>
    withDatabase((db, config) =>
      creditCommand(db, options, console, { currency: config.CURRENCY, now: new Date() }),
    ),
  );

const ledger = program.command('ledger').description('Credit ledger');
ledger
  .command('check')
  .description('Recompute every ledger invariant from the rows; exit 1 when any is broken')
  .action(async () => withDatabase((db) => ledgerCheckCommand(db, console)));

const catalog = program.command('catalog').description('Model catalog');
catalog
  .command('list')
  .description('Every model (shipped, or merged with CATALOG_FILE) and the configured deployments serving it')
  .action(() => {
    const config = loadConfigOrExit();
    process.exitCode = catalogListCommand(
      { file: config.CATALOG_FILE, markupPercent: config.MARKUP_PERCENT, providerEnv: config.providerEnv },
      console,
    );
  });
catalog
  .command('check')
  .argument('<file>', 'a catalog file in the format of src/catalog/models.json')
  .description('Validate your own catalog file before setting it as CATALOG_FILE')
  .action((file: string) => {
    process.exitCode = catalogCheckCommand(file, loadConfigOrExit().MARKUP_PERCENT, console);
  });

await program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
