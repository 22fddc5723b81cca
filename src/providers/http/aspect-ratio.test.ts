import { describe, expect, it } from 'vitest';
import { ProviderError } from '../spec.js';
import { nearestAspectRatio } from './aspect-ratio.js';

const WIDE = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'] as const;
/** Stability's list: no 4:3 or 3:4, and 1:1 not first. */
const NARROW = ['16:9', '1:1', '21:9', '2:3', '3:2', '4:5', '5:4', '9:16', '9:21'] as const;

describe('nearestAspectRatio', () => {
  it.each([
    ['1024x1024', '1:1'],
    ['1000x1001', '1:1'],
    ['1792x1024', '16:9'],
    ['1024x1792', '9:16'],
    ['1536x1024', '3:2'],
    ['1024x768', '4:3'],
    ['768x1024', '3:4'],
    ['2560x1080', '21:9'],
    ['1080x2560', '9:21'],
    ['8000x10', '21:9'],
  ])('maps %s to %s among the full list', (size, ratio) => {
    expect(nearestAspectRatio(size, WIDE)).toBe(ratio);
  });

  it('picks the closest ratio the provider supports when the exact one is missing', () => {
    // 4:3 is not in the list; on the log scale 5:4 is nearer to it than 3:2 or 1:1 are.
    expect(nearestAspectRatio('1024x768', NARROW)).toBe('5:4');
    expect(nearestAspectRatio('768x1024', NARROW)).toBe('4:5');
    expect(nearestAspectRatio('1024x1024', NARROW)).toBe('1:1');
  });

  it('breaks a tie in favour of the ratio listed first', () => {
    // 2:1 and 1:2 sit at the same distance from 1:1 on the log scale.
    expect(nearestAspectRatio('100x100', ['2:1', '1:2'])).toBe('2:1');
    expect(nearestAspectRatio('100x100', ['1:2', '2:1'])).toBe('1:2');
  });

  it.each(['1024', '1024x', 'x1024', '0x1024', '1024x0', '1024X1024', ' 1024x1024', '-5x5', '1.5x2'])(
    'refuses the size %j as a bad request',
    (size) => {
      let caught: unknown;
      try {
        nearestAspectRatio(size, WIDE);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ProviderError);
      expect(caught).toMatchObject({
        kind: 'bad_request',
        message: 'image size must be WIDTHxHEIGHT, e.g. 1024x1024',
      });
    },
  );
});
