import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { SESSION_KEY } from '../../api/session';
import { useT } from '../../i18n';
import { RecoveryCodes } from './recovery-codes';
import type { RecoveryCodesReply, TwoFactorSetup } from './settings-api';
import { CredentialsModal } from './two-factor-modals';
import { TwoFactorSetupForm } from './two-factor-setup';

type Dialog = 'disable' | 'regenerate' | null;

export function TwoFactorSection({ enabled }: { enabled: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [starting, setStarting] = useState(false);
  const [codes, setCodes] = useState<RecoveryCodesReply | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refreshUser = () => client.invalidateQueries({ queryKey: SESSION_KEY });

  const start = async () => {
    setStarting(true);
    setProblem(null);
    try {
      setSetup(await api<TwoFactorSetup>('/api/account/2fa/setup', { method: 'POST' }));
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setStarting(false);
    }
  };

  const enabledNow = async (reply: RecoveryCodesReply) => {
    setSetup(null);
    setCodes(reply);
    notifications.show({
      color: 'green',
      title: t('settings.twoFactorOn'),
      message: t('settings.saveYourCodes'),
    });
    await refreshUser();
  };

  return (
    <Card withBorder padding="lg" data-testid="settings-two-factor">
      <Stack>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={2} size="h4">
              {t('settings.twoFactor')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('settings.twoFactorIntro')}
            </Text>
          </div>
          <Badge
            color={enabled ? 'green' : 'gray'}
            variant="light"
            style={{ flexShrink: 0 }}
            data-testid="two-factor-status"
          >
            {enabled ? t('settings.on') : t('settings.off')}
          </Badge>
        </Group>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {codes && <RecoveryCodes codes={codes.recoveryCodes} onDone={() => setCodes(null)} />}
        {!enabled && !setup && (
          <Button
            onClick={start}
            loading={starting}
            style={{ alignSelf: 'flex-start' }}
            data-testid="two-factor-start"
          >
            {t('settings.setUpTwoFactor')}
          </Button>
        )}
        {!enabled && setup && (
          <TwoFactorSetupForm setup={setup} onEnabled={enabledNow} onCancel={() => setSetup(null)} />
        )}
        {enabled && !codes && (
          <Group gap="xs">
            <Button
              variant="light"
              onClick={() => setDialog('regenerate')}
              data-testid="two-factor-regenerate"
            >
              {t('settings.newRecoveryCodes')}
            </Button>
            <Button
              variant="light"
              color="red"
              onClick={() => setDialog('disable')}
              data-testid="two-factor-disable"
            >
              {t('settings.turnOff')}
            </Button>
          </Group>
        )}
      </Stack>
      <CredentialsModal
        opened={dialog === 'regenerate'}
        onClose={() => setDialog(null)}
        title={t('settings.newRecoveryCodes')}
        explanation={t('settings.newCodesExplanation')}
        withCode={false}
        confirmLabel={t('settings.makeNewCodes')}
        testId="regenerate-modal"
        onSubmit={async ({ password }) => {
          setCodes(await api<RecoveryCodesReply>('/api/account/2fa/recovery-codes', { json: { password } }));
          notifications.show({
            color: 'green',
            title: t('settings.newRecoveryCodes'),
            message: t('settings.oldCodesStopped'),
          });
        }}
      />
      <CredentialsModal
        opened={dialog === 'disable'}
        onClose={() => setDialog(null)}
        title={t('settings.turnOffTitle')}
        explanation={t('settings.turnOffExplanation')}
        withCode
        confirmLabel={t('settings.turnOff')}
        color="red"
        testId="disable-two-factor-modal"
        onSubmit={async (values) => {
          await api('/api/account/2fa/disable', { json: values });
          setCodes(null);
          notifications.show({
            title: t('settings.twoFactorOff'),
            message: t('settings.setUpAgainAnyTime'),
          });
          await refreshUser();
        }}
      />
    </Card>
  );
}
