/**
 * The spend summary shaped for the charts. Amounts are added up as bigint micros; a chart needs a
 * coordinate, so each amount becomes a number only at the very end, to be drawn (never summed).
 */
import type { SpendSummary } from './billing-api';

/** The most series one chart shows; the rest are added up as "Other models". */
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

export function modelLabel(model: string | null): string {
  return model ?? 'Unknown model';
}

function byAmountDescending<T extends { amount: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const difference = toMicros(b.amount) - toMicros(a.amount);
    return difference > 0n ? 1 : difference < 0n ? -1 : 0;
  });
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export interface DailyChart {
  data: Array<Record<string, string | number>>;
  series: Array<{ name: string; label: string; color: string }>;
}

/**
 * One row per UTC day with a column per top model. Series keys are `m0`, `m1`…: recharts reads a
 * dotted key ("gpt-4.1") as a nested path.
 */
export function dailyChart(summary: SpendSummary): DailyChart {
  const ranked = byAmountDescending(summary.models);
  const top = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const keyOf = new Map(top.map((model, index) => [model.model, `m${index}`]));
  const hasOther = ranked.length > top.length;
  const series = top.map((model, index) => ({
    name: `m${index}`,
    label: modelLabel(model.model),
    color: `${COLORS[index % COLORS.length]!}.6`,
  }));
  if (hasOther) series.push({ name: 'other', label: 'Other models', color: `${OTHER_COLOR}.6` });

  const data = summary.days.map((day) => {
    const row: Record<string, string | number> = {
      date: dayFormat.format(new Date(`${day.date}T00:00:00Z`)),
    };
    for (const entry of series) row[entry.name] = 0;
    let other = 0n;
    for (const model of day.models) {
      const key = keyOf.get(model.model);
      if (key) row[key] = plotValue(model.amount);
      else other += toMicros(model.amount);
    }
    if (hasOther) row.other = plotValue(fromMicros(other));
    return row;
  });
  return { data, series };
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

export function modelBars(summary: SpendSummary): RankedBar[] {
  return rankedBars(
    summary.models,
    (model) => model.model,
    (model) => modelLabel(model.model),
  );
}

export function keyBars(summary: SpendSummary, keyName: (apiKeyId: string | null) => string): RankedBar[] {
  return rankedBars(
    summary.apiKeys,
    (key) => key.apiKeyId,
    (key) => keyName(key.apiKeyId),
  );
}

export function requestsText(requests: number): string {
  return requests === 1 ? '1 request' : `${requests.toLocaleString()} requests`;
}
