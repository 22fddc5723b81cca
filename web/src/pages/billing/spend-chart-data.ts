/**
 * The spend summary shaped for the charts. Amounts are added up as bigint micros; a chart needs a
 * coordinate, so each amount becomes a number only at the very end, to be drawn (never summed).
 */
import type { Translate } from '../../i18n';
import { activeLocale } from '../../i18n/active-locale';
import type { DaySpend, NamedApiKeySpend, SpendSummary } from './billing-api';

/** The most series one chart shows; the rest are added up as "Other models" or "Other keys". */
const MAX_SERIES = 6;
const COLORS = ['indigo', 'teal', 'orange', 'grape', 'cyan', 'pink'];
const OTHER_COLOR = 'gray';

export function toMicros(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const micros = BigInt(whole || '0') * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return negative ? -micros : micros;
}

export function fromMicros(micros: bigint): string {
  const negative = micros < 0n;
  const absolute = negative ? -micros : micros;
  const text = `${absolute / 1_000_000n}.${(absolute % 1_000_000n).toString().padStart(6, '0')}`;
  return negative ? `-${text}` : text;
}

/** For drawing only: the decimal text read as a coordinate. */
export function plotValue(amount: string): number {
  return Number(amount);
}

export function modelLabel(model: string | null, t: Translate): string {
  return model ?? t('billing.unknownModel');
}

function byAmountDescending<T extends { amount: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const difference = toMicros(b.amount) - toMicros(a.amount);
    return difference > 0n ? 1 : difference < 0n ? -1 : 0;
  });
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "3 Dec", "3. Dez.": the UTC day in the language on screen. */
function formatDay(date: string): string {
  const locale = activeLocale();
  let format = dayFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    dayFormats.set(locale, format);
  }
  return format.format(new Date(`${date}T00:00:00Z`));
}

export type SpendBreakdown = 'model' | 'key';

export interface DailyChart {
  /** One row per UTC day: `date` (shown) and a coordinate per series. */
  data: Array<Record<string, string | number>>;
  series: Array<{ name: string; label: string; color: string }>;
  /** The same days with exact decimal text, for the table. */
  rows: Array<{ day: string; date: string; amounts: Record<string, string>; total: string }>;
}

/**
 * One row per UTC day with a column per top model or key, the rest added up in "Other". Series
 * keys are `s0`, `s1`…: recharts reads a dotted key ("gpt-4.1") as a nested path.
 */
export function dailyChart(
  summary: SpendSummary,
  breakdown: SpendBreakdown,
  keyLabel: (apiKeyId: string | null) => string,
  t: Translate,
): DailyChart {
  return breakdown === 'model'
    ? stackedByDay(summary.days, summary.models, (day) => day.models, {
        id: (model) => model.model,
        label: (model) => modelLabel(model.model, t),
        other: t('billing.otherModels'),
      })
    : stackedByDay(summary.days, summary.apiKeys, (day) => day.apiKeys, {
        id: (key) => key.apiKeyId,
        label: (key) => keyLabel(key.apiKeyId),
        other: t('billing.otherKeys'),
      });
}

function stackedByDay<T extends { amount: string }>(
  days: readonly DaySpend[],
  totals: readonly T[],
  partsOf: (day: DaySpend) => readonly T[],
  describe: { id: (item: T) => string | null; label: (item: T) => string; other: string },
): DailyChart {
  const ranked = byAmountDescending(totals);
  const top = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const seriesOf = new Map(top.map((item, index) => [describe.id(item), `s${index}`]));
  const hasOther = ranked.length > top.length;
  const series = top.map((item, index) => ({
    name: `s${index}`,
    label: describe.label(item),
    color: `${COLORS[index % COLORS.length]!}.6`,
  }));
  if (hasOther) series.push({ name: 'other', label: describe.other, color: `${OTHER_COLOR}.6` });

  const rows = days.map((day) => {
    const amounts: Record<string, string> = {};
    for (const entry of series) amounts[entry.name] = '0';
    let other = 0n;
    for (const part of partsOf(day)) {
      const name = seriesOf.get(describe.id(part));
      if (name) amounts[name] = part.amount;
      else other += toMicros(part.amount);
    }
    if (hasOther) amounts.other = fromMicros(other);
    return { day: day.date, date: formatDay(day.date), amounts, total: day.amount };
  });
  const data = rows.map((row) => {
    const point: Record<string, string | number> = { date: row.date };
    for (const entry of series) point[entry.name] = plotValue(row.amounts[entry.name]!);
    return point;
  });
  return { data, series, rows };
}

/**
 * How the billing page names each key of a summary: its name (marked when revoked), its prefix
 * too when two keys share a name, "Web app" for usage without a key.
 */
export function keyLabels(
  keys: readonly NamedApiKeySpend[],
  t: Translate,
): (apiKeyId: string | null) => string {
  const nameCounts = new Map<string, number>();
  for (const key of keys) {
    if (key.name !== null) nameCounts.set(key.name, (nameCounts.get(key.name) ?? 0) + 1);
  }
  const labels = new Map<string | null, string>();
  for (const key of keys) {
    if (key.apiKeyId === null) continue;
    let label = key.name ?? t('billing.deletedKey', { id: key.apiKeyId.slice(0, 8) });
    if (key.name !== null && nameCounts.get(key.name)! > 1 && key.prefix) {
      label = t('billing.keyWithPrefix', { name: label, prefix: key.prefix });
    }
    if (key.revoked) label = t('billing.revokedKey', { name: label });
    labels.set(key.apiKeyId, label);
  }
  return (apiKeyId) =>
    apiKeyId === null
      ? t('billing.webAppNoKey')
      : (labels.get(apiKeyId) ?? t('billing.keyById', { id: apiKeyId.slice(0, 8) }));
}

export interface RankedBar {
  /** Unique in its list: the model or the key id. */
  id: string;
  label: string;
  /** Decimal text, shown as it is. */
  amount: string;
  requests: number;
  /** The bar's length, 0 to 100, relative to the largest. */
  percent: number;
  color: string;
}

function rankedBars<T extends { amount: string; requests: number }>(
  items: readonly T[],
  id: (item: T) => string | null,
  label: (item: T) => string,
) {
  const ranked = byAmountDescending(items);
  const largest = ranked.length > 0 ? toMicros(ranked[0]!.amount) : 0n;
  return ranked.map(
    (item, index): RankedBar => ({
      id: id(item) ?? 'none',
      label: label(item),
      amount: item.amount,
      requests: item.requests,
      percent: largest > 0n ? Number((toMicros(item.amount) * 1000n) / largest) / 10 : 0,
      color: COLORS[index % COLORS.length]!,
    }),
  );
}

export function modelBars(summary: SpendSummary, t: Translate): RankedBar[] {
  return rankedBars(
    summary.models,
    (model) => model.model,
    (model) => modelLabel(model.model, t),
  );
}

export function keyBars(summary: SpendSummary, keyName: (apiKeyId: string | null) => string): RankedBar[] {
  return rankedBars(
    summary.apiKeys,
    (key) => key.apiKeyId,
    (key) => keyName(key.apiKeyId),
  );
}
