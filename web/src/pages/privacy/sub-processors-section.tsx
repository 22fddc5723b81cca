/**
 * "Where your data went": the AI providers this instance sends requests to, where they process
 * them, whether they keep inputs and outputs, and how a transfer outside the EEA is safeguarded.
 */
import { Anchor, Card, Code, Stack, Table, Text, Title } from '@mantine/core';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { type Translate, useI18n } from '../../i18n';
import { type SubProcessor, useSubProcessors } from './privacy-api';
import { useIsPhone } from './use-is-phone';

function retention(processor: SubProcessor, t: Translate): string {
  return processor.zeroRetention ? t('privacy.retentionNone') : t('privacy.retentionLimited');
}

function safeguard(processor: SubProcessor, t: Translate): string {
  return processor.thirdCountryTransfer ? processor.transferSafeguard : t('privacy.safeguardNotNeeded');
}

export function SubProcessorsSection() {
  const { t, rich } = useI18n();
  const processors = useSubProcessors();
  const isPhone = useIsPhone();
  return (
    <Card withBorder padding="lg" data-testid="privacy-sub-processors">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4">
            {t('privacy.whereTitle')}
          </Title>
          <Text size="sm">
            {rich('privacy.whereText', {
              list: <Anchor href="/legal/sub-processors">{t('privacy.subProcessorList')}</Anchor>,
            })}
          </Text>
        </div>
        {processors.isPending ? (
          <Loading />
        ) : processors.isError ? (
          <ErrorState error={processors.error} onRetry={() => processors.refetch()} />
        ) : processors.data.length === 0 ? (
          <EmptyState title={t('privacy.noProviders')} />
        ) : isPhone ? (
          <Stack gap="xs">
            {processors.data.map((processor) => (
              <Card key={processor.deploymentId} withBorder padding="sm" data-testid="sub-processor">
                <Text size="sm" fw={600}>
                  {processor.provider}
                </Text>
                <Text size="sm">
                  {t('privacy.columnRegion')}: {processor.region}
                </Text>
                <Text size="sm">
                  {t('privacy.columnRetention')}: {retention(processor, t)}
                </Text>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {t('privacy.columnSafeguard')}: {safeguard(processor, t)}
                </Text>
              </Card>
            ))}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" data-testid="sub-processors-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('privacy.columnProvider')}</Table.Th>
                  <Table.Th>{t('privacy.columnRegion')}</Table.Th>
                  <Table.Th>{t('privacy.columnRetention')}</Table.Th>
                  <Table.Th>{t('privacy.columnSafeguard')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {processors.data.map((processor) => (
                  <Table.Tr key={processor.deploymentId} data-testid="sub-processor">
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {processor.provider}
                      </Text>
                      {processor.deploymentId !== processor.provider && (
                        <Text size="xs" c="dimmed">
                          {processor.deploymentId}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{processor.region}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{retention(processor, t)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{safeguard(processor, t)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Text size="xs" c="dimmed">
          {rich('privacy.generationNote', { endpoint: <Code>GET /v1/generations/:id</Code> })}
        </Text>
      </Stack>
    </Card>
  );
}
