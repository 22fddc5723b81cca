/**
 * The loaded model catalog: finds a model by its id or an alias and lists models, and says which
 * configured deployments can serve a model, in the order the gateway should try them.
 */
import type { Deployment } from '../providers/spec.js';
import type { CatalogModel, Modality } from './catalog-schema.js';

export class Catalog {
  readonly #models: readonly CatalogModel[];
  readonly #byName = new Map<string, CatalogModel>();

  /** `models` must already be validated (loadCatalog): ids and aliases unique, case-insensitively. */
  constructor(models: readonly CatalogModel[]) {
    this.#models = Object.freeze([...models]);
    for (const model of this.#models) {
      this.#byName.set(model.id.toLowerCase(), model);
      for (const alias of model.aliases) this.#byName.set(alias.toLowerCase(), model);
    }
  }

  /** The model with this id or alias; clients' spelling varies, so case does not matter. */
  resolve(idOrAlias: string): CatalogModel | undefined {
    return this.#byName.get(idOrAlias.trim().toLowerCase());
  }

  /** Every model, in catalog order. */
  list(): CatalogModel[] {
    return [...this.#models];
  }

  forModality(modality: Modality): CatalogModel[] {
    return this.#models.filter((model) => model.modality === modality);
  }
}

/**
 * The configured deployments that can serve `model`, with the model id each one expects: the
 * native provider's deployments first (the one whose id is the provider, then others running the
 * same adapter, e.g. an operator's `openai-eu`), then the model's extra deployments that are
 * configured, in catalog order. A deployment appears once.
 */
export function deploymentsForModel(
  model: CatalogModel,
  deployments: readonly Deployment[],
): Array<{ deployment: Deployment; upstreamId: string }> {
  const routes: Array<{ deployment: Deployment; upstreamId: string }> = [];
  const seen = new Set<string>();
  const add = (deployment: Deployment, upstreamId: string) => {
    if (seen.has(deployment.id)) return;
    seen.add(deployment.id);
    routes.push({ deployment, upstreamId });
  };
  for (const deployment of deployments) {
    if (deployment.id === model.provider) add(deployment, model.upstreamId);
  }
  for (const deployment of deployments) {
    if (deployment.provider === model.provider) add(deployment, model.upstreamId);
  }
  for (const extra of model.deployments) {
    const deployment = deployments.find((candidate) => candidate.id === extra.deployment);
    if (deployment) add(deployment, extra.upstreamId);
  }
  return routes;
}
