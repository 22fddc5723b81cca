import { notifications } from '@mantine/notifications';
import type { Translate } from '../../i18n';

/**
 * A short confirmation in the corner. Mantine's close button has no text of its own, so it is
 * named here: without a name, screen readers announce a bare "button" (axe: button-name).
 */
export function showNotice(t: Translate, message: string): void {
  notifications.show({
    color: 'teal',
    message,
    closeButtonProps: { 'aria-label': t('support.dismissNotice') },
  });
}
