/**
 * The way to add credit. Payments are not built yet, so for now it explains how credit arrives;
 * the payment integration replaces this one component.
 */
import { Button, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';

export function TopUpButton() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button leftSection={<IconPlus size={16} />} onClick={open} data-testid="top-up-button">
        Top up
      </Button>
      <Modal opened={opened} onClose={close} title="Add credit">
        <Stack data-testid="top-up-modal">
          <Text size="sm">
            Paying by card or bank transfer is not available yet: it arrives with the payment integration.
          </Text>
          <Text size="sm">
            For now, the operator of this Mixgate instance adds credit to accounts. Contact them and ask for a
            top-up; it appears here as a “Credit by the operator” transaction and your available balance goes
            up at once.
          </Text>
          <Button
            variant="default"
            onClick={close}
            style={{ alignSelf: 'flex-end' }}
            data-testid="top-up-close"
          >
            Close
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
