import { Anchor, type CSSVariablesResolver, createTheme, Notification } from '@mantine/core';

export const theme = createTheme({
  // Someone who asked their system for less motion gets no transitions (WCAG 2.3.3).
  respectReducedMotion: true,
  primaryColor: 'indigo',
  // Shade 6 of indigo under white button text is 4.0:1; shade 7 passes WCAG AA (4.5:1).
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
  components: {
    // A link in running text must not be told apart by colour alone (WCAG 1.4.1).
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // A pop-up confirmation's close button is an icon: without a name, screen readers announce a
    // bare "button" (axe: button-name). Pages may pass a translated label instead.
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/**
 * Mantine's light-theme "dimmed" grey (#868e96) is 3.3:1 on white, below WCAG AA's 4.5:1 for the
 * small print it is used for (descriptions, dates, costs): one step darker reads as secondary and
 * passes (about 6:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    // Coloured text (c="teal") and light-variant badges write shade 6 on white or a pale tint:
    // about 3:1. Shade 9 darkened by a quarter passes on every tint (green and teal included).
    ...Object.fromEntries(
      Object.keys(resolved.colors).flatMap((color) => {
        const readable = `color-mix(in srgb, var(--mantine-color-${color}-9), black 25%)`;
        return [
          [`--mantine-color-${color}-light-color`, readable],
          [`--mantine-color-${color}-text`, readable],
        ];
      }),
    ),
  },
  // Likewise in the dark theme: dark.2 on the page background is 4.1:1; dark.1 reads as secondary and passes.
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});
