/** The four kinds of studio output, their labels, and how a media model's price reads. */
import type { ModelInfo } from '../../api/models';
import { formatMoney } from '../../components/money';
import type { KindFilter, StudioKind } from './studio-api';

export const KINDS: ReadonlyArray<{ value: StudioKind; label: string; noun: string }> = [
  { value: 'image', label: 'Image', noun: 'image' },
  { value: 'speech', label: 'Speech', noun: 'speech' },
  { value: 'video', label: 'Video', noun: 'video' },
  { value: 'music', label: 'Music', noun: 'music' },
];

export const KIND_FILTERS: ReadonlyArray<{ value: KindFilter; label: string }> = [
  { value: 'all', label: 'All' },
  ...KINDS.map(({ value, label }) => ({ value, label })),
];

export const KIND_HELP: Record<StudioKind, string> = {
  image: 'Describe the picture you want: subject, style, lighting, composition.',
  speech: 'Type the text to be read aloud.',
  video: 'Describe the scene and the motion. Videos take a few minutes; you can leave the page meanwhile.',
  music: 'Describe the style, mood and instruments. Music takes a while; you can leave the page meanwhile.',
};

export function kindLabel(kind: string): string {
  return KINDS.find((entry) => entry.value === kind)?.label ?? kind;
}

/** The units a media model is priced in, most specific first. */
const PRICE_UNITS: ReadonlyArray<[field: string, unit: string]> = [
  ['per_image', 'per image'],
  ['per_1m_characters', 'per 1M characters'],
  ['per_second', 'per second'],
  ['per_minute', 'per minute'],
  ['per_hour', 'per hour'],
  ['per_request', 'per request'],
];

/** A decimal string with only zeros: compared as text, money never becomes a float. */
function isZero(amount: string): boolean {
  return /^-?0*(\.0*)?$/.test(amount);
}

/** "0.04 USD per image", "15.00 USD per 1M characters", "free", or why no price shows. */
export function mediaPriceLine(model: ModelInfo): string {
  const found = PRICE_UNITS.filter(([field]) => model.pricing[field] !== undefined);
  if (found.length === 0) return 'price depends on the options (size, quality)';
  if (found.every(([field]) => isZero(model.pricing[field]!))) return 'free';
  return found
    .map(([field, unit]) => `${formatMoney(model.pricing[field]!, model.pricing.currency)} ${unit}`)
    .join(' + ');
}

/** Models of one kind, as Select groups by provider. */
export function modelOptions(models: ModelInfo[]) {
  const groups = new Map<string, Array<{ value: string; label: string }>>();
  for (const model of models) {
    const items = groups.get(model.owned_by) ?? [];
    items.push({ value: model.id, label: model.name || model.id });
    groups.set(model.owned_by, items);
  }
  return [...groups].map(([group, items]) => ({ group, items }));
}
