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
import { KIND_HELP, kindLabel, mediaPriceLine, modelOptions } from './studio-kinds';
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
) {
  if (error instanceof ApiError && error.code === 'insufficient_credit') {
    const { needed, available } = error.details;
    const currency = model.pricing.currency;
    const amounts =
      typeof needed === 'string' && typeof available === 'string'
        ? ` It needs up to ${formatMoney(needed, currency)}; ${formatMoney(available, currency)} is available.`
        : '';
    return { message: `${error.message}.${amounts}`, link: { to: '/billing', label: 'Top up your balance' } };
  }
  if (isHistoryOff(error)) {
    return {
      message:
        'History is off, and this kind of generation runs as a job that is kept until it finishes. ' +
        'Turn history on to use it.',
      link: { to: '/settings', label: 'Open settings' },
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
  const [problem, setProblem] = useState<Problem | null>(null);
  const form = useForm<GenerateValues>({
    initialValues: initialValues(models[0]),
    validate: validation(kind),
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
          title: job ? `${kindLabel(kind)} started` : `${kindLabel(kind)} ready`,
          message: job ? 'Its progress shows in the gallery below.' : 'It is at the top of your gallery.',
        });
      } else {
        onUnsaved(result.unsaved);
        notifications.show({ color: 'teal', title: `${kindLabel(kind)} ready`, message: 'It is not saved.' });
      }
    } catch (error) {
      setProblem(problemFrom(error, model, form.setFieldError));
    } finally {
      void client.invalidateQueries({ queryKey: BALANCE_KEY });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Select
          label="Model"
          description={model ? mediaPriceLine(model) : undefined}
          placeholder="Choose a model"
          data={options}
          searchable
          nothingFoundMessage="No model by that name"
          allowDeselect={false}
          data-testid="studio-model"
          renderOption={({ option }) => {
            const entry = byId.get(option.value);
            return (
              <Stack gap={0}>
                <Text size="sm">{option.label}</Text>
                {entry && (
                  <Text size="xs" c="dimmed">
                    {mediaPriceLine(entry)}
                  </Text>
                )}
              </Stack>
            );
          }}
          {...form.getInputProps('model')}
          onChange={chooseModel}
        />
        <Textarea
          label={kind === 'speech' ? 'Text' : 'Prompt'}
          description={KIND_HELP[kind]}
          placeholder={
            kind === 'speech' ? 'Hello! Welcome to Mixgate.' : 'A lighthouse on a cliff at dawn, watercolour'
          }
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
            {historyOff && !job
              ? 'History is off: the result is shown here once and not saved.'
              : 'The price shown under the model is charged to your balance.'}
          </Text>
          <Button type="submit" loading={form.submitting} disabled={!model} data-testid="studio-generate">
            {job ? `Start ${kindLabel(kind).toLowerCase()}` : 'Generate'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
