/**
 * The organisation's danger zone, for its owner: closing it. Spending stops at once for every
 * member, the content is deleted after a grace period and the members are told by e-mail. The
 * password confirms it, as closing one's own account does (the same dialog).
 */
import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconBuildingOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { CLOSURE_GRACE_DAYS, type ClosureReply, closeOrganisation } from '../../api/termination';
import { useI18n, useT } from '../../i18n';
import { addEnglishArea } from '../../i18n/load-catalog';
import { privacy } from '../../i18n/messages/en/privacy';
import { termination } from '../../i18n/messages/en/termination';
import { PasswordModal } from '../privacy/password-modal';
import { ORGANISATIONS_KEY, type OrganisationDetails, organisationKey } from './organisation-api';

// The dialog's own words (password, wrong password) are the privacy area's.
addEnglishArea('privacy', privacy);
addEnglishArea('termination', termination);

export function CloseOrganisationCard({ organisation }: { organisation: OrganisationDetails }) {
  const client = useQueryClient();
  const t = useT();
  const [asking, { open, close }] = useDisclosure(false);
  const days = CLOSURE_GRACE_DAYS;

  const closeNow = async (password: string) => {
    const reply = await closeOrganisation(organisation.id, password);
    notifications.show({
      title: t('termination.organisationClosedNotice', { name: organisation.name }),
      message: t('termination.organisationClosedNoticeText'),
    });
    // The page shows the answer as it is; the list is asked again on the next visit, when the
    // server decides whether a closed organisation is still listed.
    client.setQueryData<OrganisationDetails>(
      organisationKey(organisation.id),
      (old) => old && closedWith(old, reply),
    );
    await client.invalidateQueries({ queryKey: ORGANISATIONS_KEY, exact: true, refetchType: 'none' });
  };

  return (
    <Card withBorder padding="lg" style={{ borderColor: 'var(--mantine-color-red-filled)' }}>
      <Stack gap="sm">
        <Title order={2} size="h4" c="red">
          {t('termination.dangerZone')}
        </Title>
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Stack gap={2} style={{ flex: '1 1 240px' }}>
            <Text fw={600}>{t('termination.closeOrganisationTitle', { name: organisation.name })}</Text>
            <Text size="sm" c="dimmed">
              {t('termination.closeOrganisationText', { days })}
            </Text>
          </Stack>
          {/* Shade 9: white text on the theme's red (shade 7) is below WCAG AA's 4.5:1. */}
          <Button
            color="red.9"
            leftSection={<IconBuildingOff size={16} />}
            onClick={open}
            data-testid="organisation-close"
          >
            {t('termination.closeOrganisationButton')}
          </Button>
        </Group>
      </Stack>
      <PasswordModal
        opened={asking}
        onClose={close}
        title={t('termination.closeOrganisationModalTitle', { name: organisation.name })}
        confirmLabel={t('termination.closeOrganisationModalConfirm')}
        color="red.9"
        onSubmit={closeNow}
        testId="organisation-close-modal"
      >
        <Text size="sm">{t('termination.closeOrganisationModalText', { days })}</Text>
      </PasswordModal>
    </Card>
  );
}

function closedWith(organisation: OrganisationDetails, reply: ClosureReply): OrganisationDetails {
  return {
    ...organisation,
    status: 'closed',
    closedAt: reply.closedAt,
    contentDeletedAfter: reply.contentDeletedAfter,
  };
}

/** In place of the danger zone once closed: what it means now. */
export function OrganisationClosedNotice({ organisation }: { organisation: OrganisationDetails }) {
  const { t, formatDate } = useI18n();
  return (
    <Alert color="red" title={t('termination.organisationClosedTitle')} data-testid="organisation-closed">
      {t('termination.organisationClosedText')}
      {organisation.contentDeletedAfter &&
        ` ${t('termination.organisationClosedDeletion', { date: formatDate(organisation.contentDeletedAfter) })}`}
    </Alert>
  );
}
