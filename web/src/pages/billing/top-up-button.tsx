/**
 * The way to add credit. Payments are not built yet, so for now it explains how credit arrives;
 * the payment integration replaces this one component.
 */
import { Button, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useT } from '../../i18n';

export function TopUpButton() {
  const t = useT();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button leftSection={<IconPlus size={16} />} onClick={open} data-testid="top-up-button">
        {t('billing.topUp')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('billing.addCredit')}>
        <Stack data-testid="top-up-modal">
          <Text size="sm">{t('billing.paymentsNotYet')}</Text>
          <Text size="sm">{t('billing.askOperator', { kind: t('billing.kindManualCredit') })}</Text>
          <Button
            variant="default"
            onClick={close}
            style={{ alignSelf: 'flex-end' }}
            data-testid="top-up-close"
          >
            {t('billing.close')}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
