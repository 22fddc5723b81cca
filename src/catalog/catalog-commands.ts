/**
 * `mixgate catalog list` and `mixgate catalog check <file>`: what the instance would serve, and
 * whether an operator's own catalog file is valid before it is set as CATALOG_FILE.
 */
import { deploymentsForModel } from './catalog.js';
import { CatalogError, loadCatalog } from './load-catalog.js';
import { deploymentsFromEnv, ProviderConfigError } from './provider-deployments.js';

export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

/** Every model with its modality, prices as written and whether a configured deployment serves it. */
export function catalogListCommand(
  options: { file?: string; markupPercent: number; providerEnv: Readonly<Record<string, string>> },
  out: CommandOutput,
): number {
  try {
    const catalog = loadCatalog({ file: options.file, markupPercent: options.markupPercent });
    const deployments = deploymentsFromEnv(options.providerEnv);
    for (const model of catalog.list()) {
      const served = deploymentsForModel(model, deployments).map(({ deployment }) => deployment.id);
      const prices = Object.entries(model.pricing)
        .filter(([, value]) => typeof value === 'string')
        .map(([name, value]) => `${name}=${value}`)
        .join(' ');
      out.log(
        `${model.id}\t${model.modality}\t${served.length > 0 ? served.join(',') : '(not configured)'}\t${prices}`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof CatalogError || error instanceof ProviderConfigError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** Loads the shipped catalog merged with `file`, as the server would; exit 1 naming the first problem. */
export function catalogCheckCommand(file: string, markupPercent: number, out: CommandOutput): number {
  try {
    const catalog = loadCatalog({ file, markupPercent });
    out.log(`${file}: valid; the instance would offer ${catalog.list().length} models`);
    return 0;
  } catch (error) {
    if (error instanceof CatalogError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}
