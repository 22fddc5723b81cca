/** The options each kind of generation takes besides the model and the prompt. */
import { Autocomplete, NumberInput, Select, SimpleGrid, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ModelInfo } from '../../api/models';
import { useT } from '../../i18n';
import {
  type GenerateValues,
  IMAGE_SIZES,
  MAX_DURATION,
  runsAsJob,
  SPEECH_FORMATS,
  SUGGESTED_VOICES,
  speechFormatsFor,
} from './generate-values';
import type { StudioKind } from './studio-api';

interface OptionsProps {
  kind: StudioKind;
  model: ModelInfo | undefined;
  form: UseFormReturnType<GenerateValues>;
}

export function GenerateOptions({ kind, model, form }: OptionsProps) {
  const t = useT();
  if (kind === 'image' && runsAsJob(kind, model)) {
    return (
      <Text size="sm" c="dimmed">
        {t('studio.jobImageNote')}
      </Text>
    );
  }
  if (kind === 'image') {
    return (
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Select
          label={t('studio.size')}
          description={t('studio.sizeHint')}
          data={IMAGE_SIZES.map(({ value, label }) => ({ value, label: t(label) }))}
          allowDeselect={false}
          data-testid="studio-size"
          {...form.getInputProps('size')}
        />
        <NumberInput
          label={t('studio.imageCount')}
          description={t('studio.imageCountHint')}
          min={1}
          max={4}
          step={1}
          allowDecimal={false}
          clampBehavior="strict"
          data-testid="studio-count"
          {...form.getInputProps('n')}
        />
      </SimpleGrid>
    );
  }
  if (kind === 'speech') {
    const formats = speechFormatsFor(model);
    return (
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <Autocomplete
          label={t('studio.voice')}
          description={t('studio.voiceHint')}
          placeholder={t('studio.voicePlaceholder')}
          data={model?.owned_by === 'openai' ? SUGGESTED_VOICES : []}
          data-testid="studio-voice"
          {...form.getInputProps('voice')}
        />
        <Select
          label={t('studio.audioFormat')}
          description={t(formats.length === 1 ? 'studio.onlyFormat' : 'studio.mp3Everywhere')}
          data={SPEECH_FORMATS.filter((format) => formats.includes(format.value))}
          allowDeselect={false}
          data-testid="studio-format"
          {...form.getInputProps('format')}
        />
        <NumberInput
          label={t('studio.speed')}
          description={t('studio.speedHint')}
          min={0.25}
          max={4}
          step={0.25}
          decimalScale={2}
          data-testid="studio-speed"
          {...form.getInputProps('speed')}
        />
      </SimpleGrid>
    );
  }
  return (
    <NumberInput
      label={t('studio.duration')}
      description={t('studio.durationHint', { max: MAX_DURATION[kind] })}
      placeholder={t('studio.durationPlaceholder')}
      min={1}
      max={MAX_DURATION[kind]}
      step={1}
      allowDecimal={false}
      maw={360}
      data-testid="studio-duration"
      {...form.getInputProps('duration')}
    />
  );
}
