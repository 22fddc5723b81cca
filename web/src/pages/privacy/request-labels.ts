/**
 * The names the page gives request types and statuses, the colour of each status, and the
 * server's refusals in the reader's language.
 */
import { errorMessage } from '../../api/client';
import type { MessageKey, Translate } from '../../i18n';
import {
  isAlreadyOpen,
  isWrongPassword,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from './privacy-api';

const TYPE_LABELS: Record<PrivacyRequestType, MessageKey> = {
  access: 'privacy.typeAccess',
  erasure: 'privacy.typeErasure',
  rectification: 'privacy.typeRectification',
  restriction: 'privacy.typeRestriction',
  objection: 'privacy.typeObjection',
  consent_withdrawal: 'privacy.typeConsentWithdrawal',
};

const STATUS_LABELS: Record<PrivacyRequestStatus, MessageKey> = {
  awaiting_verification: 'privacy.statusAwaitingVerification',
  in_progress: 'privacy.statusInProgress',
  completed: 'privacy.statusCompleted',
  rejected: 'privacy.statusRejected',
};

export const STATUS_COLORS: Record<PrivacyRequestStatus, string> = {
  awaiting_verification: 'yellow',
  in_progress: 'blue',
  completed: 'teal',
  rejected: 'red',
};

export function typeLabel(type: PrivacyRequestType, t: Translate): string {
  return t(TYPE_LABELS[type]);
}

export function statusLabel(status: PrivacyRequestStatus, t: Translate): string {
  return t(STATUS_LABELS[status]);
}

/** Why a request was refused: a wrong password belongs on the password field, anything else above the form. */
export function refusalOf(error: unknown, t: Translate): { onPassword: boolean; message: string } {
  if (isWrongPassword(error)) return { onPassword: true, message: t('privacy.wrongPassword') };
  return {
    onPassword: false,
    message: isAlreadyOpen(error) ? t('privacy.alreadyOpen') : errorMessage(error),
  };
}
