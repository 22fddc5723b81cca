/** The four kinds of studio output, their labels, and how a media model's price reads. */
import type { ModelInfo } from '../../api/models';
import { formatMoney } from '../../components/money';
import type { MessageKey, Translate } from '../../i18n';
import type { KindFilter, StudioKind } from './studio-api';

/** `label` for tabs, badges and titles; `noun` for the middle of a sentence ("No video model…"). */
export const KINDS: ReadonlyArray<{ value: StudioKind; label: MessageKey; noun: MessageKey }> = [
  { value: 'image', label: 'studio.kindImage', noun: 'studio.nounImage' },
  { value: 'speech', label: 'studio.kindSpeech', noun: 'studio.nounSpeech' },
  { value: 'video', label: 'studio.kindVideo', noun: 'studio.nounVideo' },
  { value: 'music', label: 'studio.kindMusic', noun: 'studio.nounMusic' },
];

export const KIND_FILTERS: ReadonlyArray<{ value: KindFilter; label: MessageKey }> = [
  { value: 'all', label: 'studio.kindAll' },
  ...KINDS.map(({ value, label }) => ({ value, label })),
];

export const KIND_HELP: Record<StudioKind, MessageKey> = {
  image: 'studio.helpImage',
  speech: 'studio.helpSpeech',
  video: 'studio.helpVideo',
  music: 'studio.helpMusic',
};

export function kindLabel(kind: string, t: Translate): string {
  const entry = KINDS.find((candidate) => candidate.value === kind);
  return entry ? t(entry.label) : kind;
}

export function kindNoun(kind: string, t: Translate): string {
  const entry = KINDS.find((candidate) => candidate.value === kind);
  return entry ? t(entry.noun) : kind;
}

/** The units a media model is priced in, most specific first. */
const PRICE_UNITS: ReadonlyArray<[field: string, unit: MessageKey]> = [
  ['per_image', 'studio.unitPerImage'],
  ['per_1m_characters', 'studio.unitPer1mCharacters'],
  ['per_second', 'studio.unitPerSecond'],
  ['per_minute', 'studio.unitPerMinute'],
  ['per_hour', 'studio.unitPerHour'],
  ['per_request', 'studio.unitPerRequest'],
];

/** A decimal string with only zeros: compared as text, money never becomes a float. */
function isZero(amount: string): boolean {
  return /^-?0*(\.0*)?$/.test(amount);
}

/** "0.04 USD per image", "15.00 USD per 1M characters", "free", or why no price shows. */
export function mediaPriceLine(model: ModelInfo, t: Translate): string {
  const found = PRICE_UNITS.filter(([field]) => model.pricing[field] !== undefined);
  if (found.length === 0) return t('studio.priceDependsOnOptions');
  if (found.every(([field]) => isZero(model.pricing[field]!))) return t('studio.free');
  return found
    .map(([field, unit]) =>
      t('studio.priceWithUnit', {
        amount: formatMoney(model.pricing[field]!, model.pricing.currency),
        unit: t(unit),
      }),
    )
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
