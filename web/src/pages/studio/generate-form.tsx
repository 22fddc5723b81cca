/** One kind's generation form: model, prompt, options, and what happened when it ran. */
import { Alert, Anchor, Button, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { BALANCE_KEY } from '../../api/billing';
import { ApiError } from '../../api/client';
import type { ModelInfo } from '../../api/models';
import { fieldErrorsFrom } from '../../components/form-errors';
import { formatMoney } from '../../components/money';
import { type Translate, useT } from '../../i18n';
import { GenerateOptions } from './generate-options';
import {
  type GenerateValues,
  generate,
  initialValues,
  MAX_PROMPT,
  runsAsJob,
  speechFormatsFor,
  validation,
} from './generate-values';
import { isHistoryOff, type StudioKind, type StudioOutput } from './studio-api';
import { KIND_HELP, kindLabel, kindNoun, mediaPriceLine, modelOptions } from './studio-kinds';
import type { UnsavedOutput } from './unsaved-generation';

export interface GenerateFormProps {
  kind: StudioKind;
  models: ModelInfo[];
  historyOff: boolean;
  onHistoryOff: () => void;
  onSaved: (output: StudioOutput) => void;
  onUnsaved: (output: UnsavedOutput) => void;
}

interface Problem {
  message: string;
  link?: { to: string; label: string };
}

const FIELDS = ['model', 'prompt', 'size', 'n', 'voice', 'format', 'speed', 'duration'] as const;

function problemFrom(
  error: unknown,
  model: ModelInfo,
  setFieldError: (field: string, message: string) => void,
  t: Translate,
) {
  if (error instanceof ApiError && error.code === 'insufficient_credit') {
    const { needed, available } = error.details;
    const currency = model.pricing.currency;
    const amounts =
      typeof needed === 'string' && typeof available === 'string'
        ? ` ${t('studio.needsUpTo', { needed: formatMoney(needed, currency), available: formatMoney(available, currency) })}`
        : '';
    return { message: `${error.message}.${amounts}`, link: { to: '/billing', label: t('studio.topUp') } };
  }
  if (isHistoryOff(error)) {
    return {
      message: t('studio.historyOffJob'),
      link: { to: '/settings', label: t('studio.openSettings') },
    };
  }
  // The speech route calls the prompt `input`.
  const message = fieldErrorsFrom(error, [...FIELDS, 'input'], (field, text) =>
    setFieldError(field === 'input' ? 'prompt' : field, text),
  );
  return message ? { message } : null;
}

export function GenerateForm({
  kind,
  models,
  historyOff,
  onHistoryOff,
  onSaved,
  onUnsaved,
}: GenerateFormProps) {
  const client = useQueryClient();
  const t = useT();
  const [problem, setProblem] = useState<Problem | null>(null);
  const form = useForm<GenerateValues>({
    initialValues: initialValues(models[0]),
    validate: validation(kind, t),
  });
  const byId = useMemo(() => new Map(models.map((model) => [model.id, model])), [models]);
  const options = useMemo(() => modelOptions(models), [models]);
  const model = byId.get(form.values.model);
  const job = runsAsJob(kind, model);

  const chooseModel = (id: string | null) => {
    if (!id) return;
    form.setFieldValue('model', id);
    const formats = speechFormatsFor(byId.get(id));
    if (!formats.includes(form.values.format)) form.setFieldValue('format', formats[0]!);
  };

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    if (!model) return;
    try {
      const result = await generate(kind, model, values, historyOff, onHistoryOff);
      if ('saved' in result) {
        onSaved(result.saved);
        notifications.show({
          color: 'teal',
          title: t(job ? 'studio.kindStarted' : 'studio.kindReady', { kind: kindLabel(kind, t) }),
          message: t(job ? 'studio.progressBelow' : 'studio.topOfGallery'),
        });
      } else {
        onUnsaved(result.unsaved);
        notifications.show({
          color: 'teal',
          title: t('studio.kindReady', { kind: kindLabel(kind, t) }),
          message: t('studio.notSaved'),
        });
      }
    } catch (error) {
      setProblem(problemFrom(error, model, form.setFieldError, t));
    } finally {
      void client.invalidateQueries({ queryKey: BALANCE_KEY });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Select
          label={t('studio.model')}
          description={model ? mediaPriceLine(model, t) : undefined}
          placeholder={t('studio.chooseModel')}
          data={options}
          searchable
          nothingFoundMessage={t('studio.noModelByName')}
          allowDeselect={false}
          data-testid="studio-model"
          renderOption={({ option }) => {
            const entry = byId.get(option.value);
            return (
              <Stack gap={0}>
                <Text size="sm">{option.label}</Text>
                {entry && (
                  <Text size="xs" c="dimmed">
                    {mediaPriceLine(entry, t)}
                  </Text>
                )}
              </Stack>
            );
          }}
          {...form.getInputProps('model')}
          onChange={chooseModel}
        />
        <Textarea
          label={t(kind === 'speech' ? 'studio.text' : 'studio.prompt')}
          description={t(KIND_HELP[kind])}
          placeholder={t(kind === 'speech' ? 'studio.speechPlaceholder' : 'studio.promptPlaceholder')}
          autosize
          minRows={3}
          maxRows={10}
          maxLength={MAX_PROMPT[kind]}
          required
          data-testid="studio-prompt"
          {...form.getInputProps('prompt')}
        />
        <GenerateOptions kind={kind} model={model} form={form} />
        {problem && (
          <Alert color="red" role="alert" data-testid="studio-error">
            <Text size="sm">{problem.message}</Text>
            {problem.link && (
              <Anchor component={Link} to={problem.link.to} size="sm">
                {problem.link.label}
              </Anchor>
            )}
          </Alert>
        )}
        <Group justify="space-between" wrap="wrap">
          <Text size="xs" c="dimmed" maw={420}>
            {t(historyOff && !job ? 'studio.footHistoryOff' : 'studio.footCharged')}
          </Text>
          <Button type="submit" loading={form.submitting} disabled={!model} data-testid="studio-generate">
            {job ? t('studio.startKind', { kind: kindNoun(kind, t) }) : t('studio.generate')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
