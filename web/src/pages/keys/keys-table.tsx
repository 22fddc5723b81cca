/** Every key of the user's, newest first, with its limit and status, and a revoke button. */
import { Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { useBalance } from '../../api/billing';
import { useT } from '../../i18n';
import { type ApiKey, keyStatus } from './api-keys-api';
import { LimitUsage, RevokeButton, StatusBadge, useOrganisationName, useWhen } from './key-parts';

export function KeysTable({ keys, onRevoke }: { keys: ApiKey[]; onRevoke: (key: ApiKey) => void }) {
  const t = useT();
  const when = useWhen();
  const currency = useBalance().data?.currency;
  const organisationName = useOrganisationName();

  return (
    <Table.ScrollContainer minWidth={820} data-testid="keys-table">
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('keys.name')}</Table.Th>
            <Table.Th>{t('keys.key')}</Table.Th>
            <Table.Th>{t('keys.created')}</Table.Th>
            <Table.Th>{t('keys.lastUsed')}</Table.Th>
            <Table.Th>{t('keys.spendLimit')}</Table.Th>
            <Table.Th>{t('keys.status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('keys.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => (
            <Table.Tr key={key.id} data-testid="key-row" data-key-id={key.id} data-status={keyStatus(key)}>
              <Table.Td>
                <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
                  {key.name}
                </Text>
                {key.organisationId && (
                  <Text size="xs" c="dimmed">
                    {t('keys.paidBy', { name: organisationName(key.organisationId) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Code style={{ whiteSpace: 'nowrap' }}>{key.prefix}…</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{when(key.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={key.lastUsedAt ? undefined : 'dimmed'}>
                  {when(key.lastUsedAt, t('keys.never'))}
                </Text>
              </Table.Td>
              <Table.Td>
                <LimitUsage apiKey={key} currency={currency} />
              </Table.Td>
              <Table.Td>
                <StatusBadge apiKey={key} />
              </Table.Td>
              <Table.Td>
                <RevokeButton apiKey={key} onRevoke={onRevoke} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
