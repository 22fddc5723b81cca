/**
 * The cookie settings, per purpose: essential (always on, shown so the visitor knows what is stored)
 * and analytics when the operator uses it. Loaded only when opened, from the banner's "Choose" or
 * the footer's "Cookie settings".
 */
import { Alert, Button, Group, Modal, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n';
import type { ConsentChoices, ConsentState } from './consent-api';

interface Props {
  state: ConsentState;
  globalPrivacyControl: boolean;
  saving: boolean;
  onSave(choices: ConsentChoices): void;
  onClose(): void;
}

export function CookieSettingsModal({ state, globalPrivacyControl, saving, onSave, onClose }: Props) {
  const { t, formatDateTime } = useI18n();
  const analytics = state.purposes.analytics;
  const gpc = globalPrivacyControl || state.globalPrivacyControl;
  // Off until turned on: a visitor who never chose starts from "essential only".
  const [analyticsOn, setAnalyticsOn] = useState(analytics.granted && !gpc);
  const decision = analytics.decision;

  return (
    <Modal opened onClose={onClose} title={t('consent.settingsTitle')} size="lg">
      <Stack>
        <Switch
          checked
          disabled
          label={t('consent.essentialName')}
          description={t('consent.essentialDescription')}
        />
        {analytics.available ? (
          <>
            <Switch
              checked={analyticsOn}
              disabled={gpc}
              onChange={(event) => setAnalyticsOn(event.currentTarget.checked)}
              label={t('consent.analyticsName')}
              description={t('consent.analyticsDescription')}
              data-testid="consent-analytics"
            />
            {gpc && (
              <Alert color="blue" data-testid="consent-gpc-note">
                {t('consent.gpcNote')}
              </Alert>
            )}
            <Text size="xs" c="dimmed">
              {t('consent.withdrawNote')}
            </Text>
            {decision && (
              <Text size="xs" c="dimmed">
                {t('consent.decidedAt', { date: formatDateTime(decision.decidedAt) })}
              </Text>
            )}
          </>
        ) : (
          <Text size="sm" data-testid="consent-only-essential">
            {t('consent.onlyEssential')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          {analytics.available && (
            <Button
              data-autofocus
              onClick={() => onSave({ analytics: analyticsOn && !gpc })}
              loading={saving}
            >
              {t('consent.save')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
