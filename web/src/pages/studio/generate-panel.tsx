/** The top of the studio: a tab per kind of output, each with the models of that kind. */
import { Card, Tabs } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconMicrophone, IconMovie, IconMusic, IconPhoto } from '@tabler/icons-react';
import { useState } from 'react';
import { useModels } from '../../api/models';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { GenerateForm, type GenerateFormProps } from './generate-form';
import type { StudioKind } from './studio-api';
import { KINDS, kindNoun } from './studio-kinds';

const ICONS = { image: IconPhoto, speech: IconMicrophone, video: IconMovie, music: IconMusic } as const;

type PanelProps = Omit<GenerateFormProps, 'kind' | 'models'>;

export function GeneratePanel(props: PanelProps) {
  const t = useT();
  const [kind, setKind] = useState<StudioKind>('image');
  // Four tabs with icons do not fit a phone's width on one line; their words alone do.
  const roomy = useMediaQuery('(min-width: 36em)', true, { getInitialValueInEffect: false });
  return (
    <Card withBorder padding="md">
      <Tabs
        value={kind}
        onChange={(value) => value && setKind(value as StudioKind)}
        keepMounted={false}
        data-testid="studio-kind"
      >
        <Tabs.List mb="md">
          {KINDS.map(({ value, label }) => {
            const Icon = ICONS[value];
            return (
              <Tabs.Tab
                key={value}
                value={value}
                leftSection={roomy ? <Icon size={16} /> : undefined}
                data-testid={`studio-tab-${value}`}
              >
                {t(label)}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        {KINDS.map(({ value }) => (
          <Tabs.Panel key={value} value={value}>
            <KindForm kind={value} {...props} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Card>
  );
}

function KindForm({ kind, ...props }: PanelProps & { kind: StudioKind }) {
  const models = useModels();
  const t = useT();
  if (models.isPending) return <Loading label={t('studio.loadingModels')} />;
  if (models.isError) return <ErrorState error={models.error} onRetry={() => models.refetch()} />;
  const ofKind = models.data.filter((model) => model.modality === kind);
  if (ofKind.length === 0) {
    const noun = kindNoun(kind, t);
    return (
      <div data-testid="studio-no-models">
        <EmptyState title={t('studio.noKindModel', { kind: noun })}>
          {t('studio.noKindModelText', { kind: noun })}
        </EmptyState>
      </div>
    );
  }
  return <GenerateForm kind={kind} models={ofKind} {...props} />;
}
