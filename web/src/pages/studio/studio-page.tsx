/**
 * The studio: generate images, speech, video and music with any enabled model, and keep the
 * results in a gallery. With history off nothing is kept: a result is shown once, then gone.
 */
import { Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useBalance } from '../../api/billing';
import { useT } from '../../i18n';
import { Gallery } from './gallery';
import { GeneratePanel } from './generate-panel';
import { addToGallery, isHistoryOff, type KindFilter, type StudioOutput, useOutputs } from './studio-api';
import { releaseUnsaved, type UnsavedOutput } from './unsaved-generation';

export function StudioPage() {
  const client = useQueryClient();
  const t = useT();
  const balance = useBalance();
  const [filter, setFilter] = useState<KindFilter>('all');
  const outputs = useOutputs(filter);
  const [historyOffSeen, setHistoryOffSeen] = useState(false);
  const historyOff = historyOffSeen || isHistoryOff(outputs.error);
  const [unsaved, setUnsaved] = useState<UnsavedOutput | null>(null);

  // A shown-once result owns blob URLs: free them when another replaces it or the page closes.
  useEffect(() => () => releaseUnsaved(unsaved), [unsaved]);

  const onSaved = (output: StudioOutput) => {
    addToGallery(client, output);
    if (filter !== 'all' && filter !== output.kind) setFilter('all');
  };

  return (
    <Stack gap="lg" maw={1200} data-testid="studio-page">
      <div>
        <Title order={1} size="h2">
          {t('studio.title')}
        </Title>
        <Text size="sm" c="dimmed" maw={680}>
          {t(historyOff ? 'studio.introNotKept' : 'studio.introKept')}
        </Text>
      </div>
      <GeneratePanel
        historyOff={historyOff}
        onHistoryOff={() => setHistoryOffSeen(true)}
        onSaved={onSaved}
        onUnsaved={setUnsaved}
      />
      <Gallery
        outputs={outputs}
        filter={filter}
        onFilter={setFilter}
        currency={balance.data?.currency}
        unsaved={unsaved}
        onDismissUnsaved={() => setUnsaved(null)}
      />
    </Stack>
  );
}
