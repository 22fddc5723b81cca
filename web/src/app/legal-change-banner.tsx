/**
 * The notice of a new version of a legal document, at the top of every signed-in page: what
 * changes and when, the operator's summary, and the word-by-word comparison (its code loads only
 * when opened). A reader can dismiss each version's notice; the dismissal is kept in this
 * browser's storage. A material change in effect and not yet accepted is the acceptance gate's
 * business, not a notice's.
 */
import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { type LegalAnnouncement, useLegalAnnouncements } from '../api/legal';
import { useI18n } from '../i18n';
import type { LegalChangeShown } from './legal-diff-modal';

const LegalDiffModal = lazy(() =>
  import('./legal-diff-modal').then((module) => ({ default: module.LegalDiffModal })),
);

const STORAGE_KEY = 'mixgate-legal-notices-dismissed';

/** "terms@2026-03": what a dismissal is remembered by, so the next version is announced again. */
function noticeKey(announcement: LegalAnnouncement): string {
  return `${announcement.type}@${announcement.version}`;
}

function readDismissed(): Set<string> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((key) => typeof key === 'string') : []);
  } catch {
    // Storage turned off or a value from elsewhere: the notices show again, which is harmless.
    return new Set();
  }
}

function storeDismissed(keys: Set<string>): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify([...keys]));
  } catch {
    // Without storage the dismissal lasts until the page is reloaded.
  }
}

export function LegalChangeBanner() {
  const { t, formatDate, language } = useI18n();
  const announcements = useLegalAnnouncements(language);
  const [dismissed, setDismissed] = useState(readDismissed);
  const [shown, setShown] = useState<LegalChangeShown | null>(null);

  const notices = (announcements.data?.announcements ?? []).filter(
    (announcement) =>
      !dismissed.has(noticeKey(announcement)) &&
      !(announcement.status === 'in_effect' && announcement.acceptanceRequired),
  );
  const dismiss = (announcement: LegalAnnouncement) => {
    const next = new Set(dismissed).add(noticeKey(announcement));
    storeDismissed(next);
    setDismissed(next);
  };

  if (notices.length === 0 && !shown) return null;
  return (
    <Stack gap="xs" mb="md">
      {notices.map((announcement) => {
        const upcoming = announcement.status === 'upcoming';
        const params = { title: announcement.title, date: formatDate(announcement.effectiveAt) };
        return (
          <Alert
            key={noticeKey(announcement)}
            role="region"
            color={upcoming ? 'blue' : 'gray'}
            title={t(upcoming ? 'legalChange.upcoming' : 'legalChange.inEffect', params)}
            withCloseButton
            closeButtonLabel={t('legalChange.dismiss')}
            onClose={() => dismiss(announcement)}
            data-testid="legal-change-banner"
            data-type={announcement.type}
            data-version={announcement.version}
          >
            <Stack gap={4} align="flex-start">
              {upcoming && announcement.material && <Text size="sm">{t('legalChange.acceptLater')}</Text>}
              {announcement.changeSummary && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {announcement.changeSummary}
                </Text>
              )}
              {/* The theme's link blue is too faint on the blue notice: the text's own colour, underlined. */}
              <Anchor
                component="button"
                type="button"
                size="sm"
                c="inherit"
                fw={600}
                underline="always"
                onClick={() => setShown(announcement)}
              >
                {t(upcoming ? 'legalChange.seeWhatChanges' : 'legalChange.seeWhatChanged')}
              </Anchor>
            </Stack>
          </Alert>
        );
      })}
      {shown && (
        <Suspense fallback={null}>
          <LegalDiffModal change={shown} onClose={() => setShown(null)} />
        </Suspense>
      )}
    </Stack>
  );
}
