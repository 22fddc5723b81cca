/**
 * Image providers that take a ratio rather than pixels (Replicate's models, Stability) get the one
 * of their supported ratios closest to the requested WIDTHxHEIGHT.
 */
import { ProviderError } from '../spec.js';

/**
 * Closeness is measured on the logarithm of the ratios, so 2:1 and 1:2 are equally far from 1:1;
 * on a tie the ratio listed first wins.
 */
export function nearestAspectRatio<Ratio extends string>(
  size: string,
  ratios: readonly [Ratio, ...Ratio[]],
): Ratio {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match || Number(match[1]) === 0 || Number(match[2]) === 0) {
    throw new ProviderError('bad_request', 'image size must be WIDTHxHEIGHT, e.g. 1024x1024');
  }
  const wanted = Math.log(Number(match[1]) / Number(match[2]));
  const distance = (ratio: string) => {
    const [width, height] = ratio.split(':').map(Number) as [number, number];
    return Math.abs(Math.log(width / height) - wanted);
  };
  return ratios.reduce((best, ratio) => (distance(ratio) < distance(best) ? ratio : best));
}
