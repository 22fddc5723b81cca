/** The options each kind of generation takes besides the model and the prompt. */
import { Autocomplete, NumberInput, Select, SimpleGrid, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ModelInfo } from '../../api/models';
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
  if (kind === 'image' && runsAsJob(kind, model)) {
    return (
      <Text size="sm" c="dimmed">
        This model runs as a background job with its own default size: follow its progress in the gallery
        below, even after leaving the page.
      </Text>
    );
  }
  if (kind === 'image') {
    return (
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Select
          label="Size"
          description="Not every model makes every size"
          data={IMAGE_SIZES}
          allowDeselect={false}
          data-testid="studio-size"
          {...form.getInputProps('size')}
        />
        <NumberInput
          label="Number of images"
          description="From 1 to 4; each one is charged"
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
          label="Voice"
          description="Empty: the model's default"
          placeholder="e.g. alloy"
          data={model?.owned_by === 'openai' ? SUGGESTED_VOICES : []}
          data-testid="studio-voice"
          {...form.getInputProps('voice')}
        />
        <Select
          label="Audio format"
          description={formats.length === 1 ? 'The only one this model makes' : 'MP3 plays everywhere'}
          data={SPEECH_FORMATS.filter((format) => formats.includes(format.value))}
          allowDeselect={false}
          data-testid="studio-format"
          {...form.getInputProps('format')}
        />
        <NumberInput
          label="Speed"
          description="1 is normal; 0.25 to 4"
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
      label="Duration (seconds)"
      description={`Optional, 1 to ${MAX_DURATION[kind]}; empty uses the model's default. Models that make a fixed length ignore it.`}
      placeholder="Model's default"
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
