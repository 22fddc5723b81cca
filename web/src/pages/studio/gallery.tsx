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
import { OutputCard } from './output-card';
import {
  deleteOutput,
  isHistoryOff,
  type KindFilter,
  removeFromGallery,
  type StudioOutput,
  type useOutputs,
} from './studio-api';
import { KIND_FILTERS, kindLabel } from './studio-kinds';
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
  const [deleting, setDeleting] = useState<StudioOutput | null>(null);
  const items = outputs.data?.pages.flatMap((page) => page.outputs) ?? [];

  const remove = async () => {
    if (!deleting) return;
    await deleteOutput(deleting.id);
    removeFromGallery(client, deleting.id);
    notifications.show({
      color: 'teal',
      title: 'Deleted',
      message: `The ${kindLabel(deleting.kind).toLowerCase()} output is gone.`,
    });
  };

  return (
    <Card withBorder padding="md">
      <Stack>
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <div>
            <Title order={2} size="h4">
              Your gallery
            </Title>
            <Text size="sm" c="dimmed">
              Everything you generated here, newest first. Only you can see it.
            </Text>
          </div>
          <SegmentedControl
            size="xs"
            data={KIND_FILTERS.map(({ value, label }) => ({ value, label }))}
            value={filter}
            onChange={(value) => onFilter(value as KindFilter)}
            aria-label="Show outputs of kind"
            data-testid="gallery-filter"
          />
        </Group>

        {unsaved && <UnsavedOutputCard output={unsaved} currency={currency} onDismiss={onDismissUnsaved} />}

        {outputs.isPending ? (
          <Loading label="Loading your gallery…" />
        ) : !outputs.data ? (
          isHistoryOff(outputs.error) ? (
            <Alert color="yellow" icon={<IconInfoCircle size={18} />} data-testid="gallery-history-off">
              <Text size="sm">
                History is off, so the studio keeps no gallery: each result is shown once and not saved.
              </Text>
              <Anchor component={Link} to="/settings" size="sm">
                Turn history on in Settings
              </Anchor>
            </Alert>
          ) : (
            <ErrorState error={outputs.error} onRetry={() => outputs.refetch()} />
          )
        ) : items.length === 0 ? (
          <div data-testid="gallery-empty">
            <EmptyState
              title={
                filter === 'all' ? 'Nothing here yet' : `No ${kindLabel(filter).toLowerCase()} outputs yet`
              }
            >
              What you generate above appears here, with its cost, and stays until you delete it.
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
                  Load more
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
        title="Delete this output?"
        confirmLabel="Delete"
        onConfirm={remove}
        testId="delete-output-modal"
      >
        Its files are deleted for good. A job that is still running is cancelled first, and not charged.
      </ConfirmModal>
    </Card>
  );
}
