import { useMediaQuery } from '@mantine/hooks';

/** Below Mantine's `sm` breakpoint the page's tables become stacked cards. */
export function useIsPhone(): boolean {
  return useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
}
