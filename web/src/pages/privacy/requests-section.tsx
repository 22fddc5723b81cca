/**
 * "Your requests": every privacy request of the account's, newest first, with its status, when it
 * was received and when it is due (one month, Art. 12(3)); a table on wide screens, cards on phones.
 */
import { Badge, Card, Stack, Table, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { ExportAction } from './export-action';
import type { PrivacyRequest } from './privacy-api';
import { STATUS_COLORS, statusLabel, typeLabel } from './request-labels';
import { useIsPhone } from './use-is-phone';

const isOpen = (request: PrivacyRequest) =>
  request.status === 'in_progress' || request.status === 'awaiting_verification';

export function RequestsSection({ requests }: { requests: UseQueryResult<PrivacyRequest[]> }) {
  const { t } = useI18n();
  const isPhone = useIsPhone();
  return (
    <Card withBorder padding="lg" data-testid="privacy-requests">
      <Title order={2} size="h4" mb="xs">
        {t('privacy.requestsTitle')}
      </Title>
      {requests.isPending ? (
        <Loading />
      ) : requests.isError ? (
        <ErrorState error={requests.error} onRetry={() => requests.refetch()} />
      ) : requests.data.length === 0 ? (
        <EmptyState title={t('privacy.requestsEmpty')}>{t('privacy.requestsEmptyText')}</EmptyState>
      ) : isPhone ? (
        <Stack gap="sm">
          {requests.data.map((request) => (
            <RequestCard key={request.id} request={request} />
          ))}
        </Stack>
      ) : (
        <RequestsTable requests={requests.data} />
      )}
    </Card>
  );
}

function RequestsTable({ requests }: { requests: PrivacyRequest[] }) {
  const { t, formatDate } = useI18n();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" data-testid="requests-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('privacy.columnRequest')}</Table.Th>
            <Table.Th>{t('privacy.columnStatus')}</Table.Th>
            <Table.Th>{t('privacy.columnReceived')}</Table.Th>
            <Table.Th>{t('privacy.columnDue')}</Table.Th>
            <Table.Th>{t('privacy.columnActions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((request) => (
            <Table.Tr key={request.id} {...rowData(request)}>
              <Table.Td>
                <RequestName request={request} />
              </Table.Td>
              <Table.Td>
                <RequestStatus request={request} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDate(request.receivedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <DueDate request={request} />
              </Table.Td>
              <Table.Td>
                <RequestAction request={request} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RequestCard({ request }: { request: PrivacyRequest }) {
  const { t, formatDate } = useI18n();
  return (
    <Card withBorder padding="sm" {...rowData(request)}>
      <Stack gap={6}>
        <RequestName request={request} />
        <RequestStatus request={request} />
        <Text size="sm">
          {t('privacy.receivedOn', { date: formatDate(request.receivedAt) })}
          <br />
          {t('privacy.dueBy', { date: formatDate(request.dueAt) })}
        </Text>
        <RequestAction request={request} />
      </Stack>
    </Card>
  );
}

function rowData(request: PrivacyRequest) {
  return { 'data-testid': 'request-row', 'data-type': request.type, 'data-status': request.status };
}

function RequestName({ request }: { request: PrivacyRequest }) {
  const { t } = useI18n();
  return (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <Text size="sm" fw={500}>
        {typeLabel(request.type, t)}
      </Text>
      {request.details && (
        <Text size="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
          {request.details}
        </Text>
      )}
      {request.source === 'staff' && (
        <Text size="xs" c="dimmed">
          {t('privacy.enteredByStaff')}
        </Text>
      )}
    </Stack>
  );
}

function RequestStatus({ request }: { request: PrivacyRequest }) {
  const { t, formatDate } = useI18n();
  return (
    <Stack gap={2} align="flex-start">
      <Badge variant="light" color={STATUS_COLORS[request.status]}>
        {statusLabel(request.status, t)}
      </Badge>
      {request.completedAt && (
        <Text size="xs" c="dimmed">
          {t('privacy.closedOn', { date: formatDate(request.completedAt) })}
        </Text>
      )}
      {request.blockedReason && isOpen(request) && (
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {request.blockedReason}
        </Text>
      )}
    </Stack>
  );
}

function DueDate({ request }: { request: PrivacyRequest }) {
  const { formatDate } = useI18n();
  return (
    <Text size="sm" c={isOpen(request) ? undefined : 'dimmed'}>
      {formatDate(request.dueAt)}
    </Text>
  );
}

function RequestAction({ request }: { request: PrivacyRequest }) {
  const { t } = useI18n();
  if (request.export) return <ExportAction request={request} />;
  if (request.status === 'awaiting_verification') {
    return (
      <Text size="xs" c="dimmed">
        {t('privacy.awaitingConfirmation')}
      </Text>
    );
  }
  if (request.type === 'access' && request.status === 'in_progress') {
    return (
      <Text size="xs" c="dimmed">
        {t('privacy.beingPrepared')}
      </Text>
    );
  }
  return null;
}
