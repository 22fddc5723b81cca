/**
 * Cookies and consent, mounted once in each layout where its "Cookie settings" link belongs (the
 * footer): the first-visit banner, the settings dialog (its code loads only when opened), and the
 * analytics script, present only while the visitor's consent is on record and in effect.
 *
 * Without ANALYTICS_SCRIPT_URL nothing needs consent: no banner interrupts anyone, and the settings
 * say that only essential cookies are used. With Global Privacy Control, analytics is declined
 * without asking; for a signed-in user that refusal is recorded (source `gpc`).
 */
import { Anchor, Button, Group, Paper, Portal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';
import { useSession } from '../api/session';
import { useT } from '../i18n';
import { loadAnalyticsScript, unloadAnalyticsScript } from './analytics-script';
import {
  browserSendsGlobalPrivacyControl,
  type ConsentChoices,
  type ConsentSource,
  useConsent,
  useRecordConsent,
} from './consent-api';

const CookieSettingsModal = lazy(() =>
  import('./cookie-settings-modal').then((module) => ({ default: module.CookieSettingsModal })),
);

export function CookieConsent() {
  const t = useT();
  const session = useSession();
  const userId = session.data?.user.id ?? null;
  const consent = useConsent(userId, !session.isPending);
  const record = useRecordConsent(userId);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const gpc = browserSendsGlobalPrivacyControl();
  const analytics = consent.data?.purposes.analytics;
  const scriptUrl = consent.data?.analyticsScriptUrl ?? null;

  useEffect(() => {
    if (!consent.data) return;
    if (scriptUrl && analytics?.granted && !gpc) loadAnalyticsScript(scriptUrl);
    else unloadAnalyticsScript();
  }, [consent.data, scriptUrl, analytics?.granted, gpc]);

  // The signal is the signed-in user's refusal: put it on record once, unless a refusal already is.
  const gpcRecorded = useRef(false);
  useEffect(() => {
    if (!gpc || !userId || !analytics?.available || analytics.decision?.granted === false) return;
    if (gpcRecorded.current) return;
    gpcRecorded.current = true;
    record({ analytics: false }, 'gpc').catch(() => {
      // Analytics stays off whatever the server kept; the next page load tries again.
    });
  }, [gpc, userId, analytics, record]);

  const choose = async (choices: ConsentChoices, source: ConsentSource) => {
    setSaving(true);
    try {
      await record(choices, source);
      setSettingsOpen(false);
    } catch (error) {
      notifications.show({ color: 'red', title: t('consent.saveFailed'), message: errorMessage(error) });
    } finally {
      setSaving(false);
    }
  };

  const askNow = Boolean(analytics?.available && analytics.decision === null && !gpc && !settingsOpen);
  return (
    <>
      <Anchor
        component="button"
        type="button"
        size="xs"
        c="dimmed"
        onClick={() => setSettingsOpen(true)}
        data-testid="cookie-settings-link"
      >
        {t('consent.settingsLink')}
      </Anchor>
      {askNow && (
        <ConsentBanner
          saving={saving}
          onEssentialOnly={() => choose({ analytics: false }, 'banner')}
          onAcceptAnalytics={() => choose({ analytics: true }, 'banner')}
          onChoose={() => setSettingsOpen(true)}
        />
      )}
      {settingsOpen && consent.data && (
        <Suspense fallback={null}>
          <CookieSettingsModal
            state={consent.data}
            globalPrivacyControl={gpc}
            saving={saving}
            onSave={(choices) => choose(choices, analytics?.decision === null ? 'banner' : 'settings')}
            onClose={() => setSettingsOpen(false)}
          />
        </Suspense>
      )}
    </>
  );
}

interface BannerProps {
  saving: boolean;
  onEssentialOnly(): void;
  onAcceptAnalytics(): void;
  onChoose(): void;
}

/**
 * Not a dialog: the page stays usable behind it. "Essential only" comes first and takes the focus,
 * so the default for a keyboard (Enter) is the choice that allows nothing more.
 */
function ConsentBanner({ saving, onEssentialOnly, onAcceptAnalytics, onChoose }: BannerProps) {
  const t = useT();
  // A callback, not an effect: the portal puts the button in the page after this component mounted.
  const focused = useRef(false);
  const focusOnce = (button: HTMLButtonElement | null) => {
    if (!button || focused.current) return;
    focused.current = true;
    button.focus();
  };
  return (
    <Portal>
      <Paper
        component="section"
        aria-label={t('consent.bannerLabel')}
        withBorder
        shadow="md"
        p="md"
        radius="md"
        maw={560}
        style={{ position: 'fixed', insetInline: 16, bottom: 16, zIndex: 300, marginInline: 'auto' }}
        data-testid="consent-banner"
      >
        <Stack gap="sm">
          <Text fw={600}>{t('consent.bannerTitle')}</Text>
          <Text size="sm">{t('consent.bannerText')}</Text>
          <Group gap="xs">
            <Button ref={focusOnce} onClick={onEssentialOnly} loading={saving}>
              {t('consent.essentialOnly')}
            </Button>
            <Button variant="default" onClick={onAcceptAnalytics} disabled={saving}>
              {t('consent.acceptAnalytics')}
            </Button>
            <Button variant="subtle" onClick={onChoose} disabled={saving}>
              {t('consent.choose')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Portal>
  );
}
