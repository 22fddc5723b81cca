/** Every key of the user's, newest first, with its limit and status, and a revoke button. */
import { Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { useBalance } from '../../api/billing';
import { type ApiKey, keyStatus } from './api-keys-api';
import { limitText, RevokeButton, StatusBadge, useOrganisationName, when } from './key-parts';

export function KeysTable({ keys, onRevoke }: { keys: ApiKey[]; onRevoke: (key: ApiKey) => void }) {
  const currency = useBalance().data?.currency;
  const organisationName = useOrganisationName();

  return (
    <Table.ScrollContainer minWidth={820} data-testid="keys-table">
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Spend limit</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
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
                    Paid by {organisationName(key.organisationId)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Code style={{ whiteSpace: 'nowrap' }}>{key.prefix}…</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{when(key.createdAt, '')}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={key.lastUsedAt ? undefined : 'dimmed'}>
                  {when(key.lastUsedAt, 'Never')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{limitText(key, currency)}</Text>
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
