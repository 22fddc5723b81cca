/** The user's past outputs, newest first: a filter by kind, a grid of cards, and "load more". */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Center,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ConfirmModal } from '../../components/confirm-modal';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { OutputCard } from './output-card';
import {
  deleteOutput,
  isHistoryOff,
  type KindFilter,
  removeFromGallery,
  type StudioOutput,
  type useOutputs,
} from './studio-api';
import { KIND_FILTERS, kindNoun } from './studio-kinds';
import type { UnsavedOutput } from './unsaved-generation';
import { UnsavedOutputCard } from './unsaved-output-card';

interface GalleryProps {
  outputs: ReturnType<typeof useOutputs>;
  filter: KindFilter;
  onFilter: (filter: KindFilter) => void;
  currency: string | undefined;
  unsaved: UnsavedOutput | null;
  onDismissUnsaved: () => void;
}

export function Gallery({ outputs, filter, onFilter, currency, unsaved, onDismissUnsaved }: GalleryProps) {
  const client = useQueryClient();
  const t = useT();
  const [deleting, setDeleting] = useState<StudioOutput | null>(null);
  const items = outputs.data?.pages.flatMap((page) => page.outputs) ?? [];

  const remove = async () => {
    if (!deleting) return;
    await deleteOutput(deleting.id);
    removeFromGallery(client, deleting.id);
    notifications.show({
      color: 'teal',
      title: t('studio.deleted'),
      message: t('studio.deletedText', { kind: kindNoun(deleting.kind, t) }),
    });
  };

  return (
    <Card withBorder padding="md">
      <Stack>
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <div>
            <Title order={2} size="h4">
              {t('studio.galleryTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('studio.galleryIntro')}
            </Text>
          </div>
          <SegmentedControl
            size="xs"
            data={KIND_FILTERS.map(({ value, label }) => ({ value, label: t(label) }))}
            value={filter}
            onChange={(value) => onFilter(value as KindFilter)}
            aria-label={t('studio.galleryFilter')}
            data-testid="gallery-filter"
          />
        </Group>

        {unsaved && <UnsavedOutputCard output={unsaved} currency={currency} onDismiss={onDismissUnsaved} />}

        {outputs.isPending ? (
          <Loading label={t('studio.loadingGallery')} />
        ) : !outputs.data ? (
          isHistoryOff(outputs.error) ? (
            <Alert color="yellow" icon={<IconInfoCircle size={18} />} data-testid="gallery-history-off">
              <Text size="sm">{t('studio.galleryHistoryOff')}</Text>
              <Anchor component={Link} to="/settings" size="sm">
                {t('studio.turnHistoryOn')}
              </Anchor>
            </Alert>
          ) : (
            <ErrorState error={outputs.error} onRetry={() => outputs.refetch()} />
          )
        ) : items.length === 0 ? (
          <div data-testid="gallery-empty">
            <EmptyState
              title={
                filter === 'all'
                  ? t('studio.nothingYet')
                  : t('studio.noKindOutputs', { kind: kindNoun(filter, t) })
              }
            >
              {t('studio.galleryEmptyText')}
            </EmptyState>
          </div>
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="gallery">
              {items.map((output) => (
                <OutputCard key={output.id} output={output} currency={currency} onDelete={setDeleting} />
              ))}
            </SimpleGrid>
            {outputs.hasNextPage && (
              <Center>
                <Button
                  variant="default"
                  onClick={() => outputs.fetchNextPage()}
                  loading={outputs.isFetchingNextPage}
                  data-testid="gallery-load-more"
                >
                  {t('studio.loadMore')}
                </Button>
              </Center>
            )}
            {outputs.isFetchNextPageError && (
              <ErrorState error={outputs.error} onRetry={() => outputs.fetchNextPage()} />
            )}
          </>
        )}
      </Stack>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('studio.deleteTitle')}
        confirmLabel={t('studio.delete')}
        onConfirm={remove}
        testId="delete-output-modal"
      >
        {t('studio.deleteText')}
      </ConfirmModal>
    </Card>
  );
}
