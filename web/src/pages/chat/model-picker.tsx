import { Badge, Group, Select, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { ModelInfo } from '../../api/models';
import { formatMoney } from '../../components/money';
import { type MessageKey, type Translate, useT } from '../../i18n';

/** "in 0.15 / out 0.60 USD per 1M tokens", or "free" for the built-in demo models. */
export function priceLine(model: ModelInfo, t: Translate): string {
  const input = model.pricing.input_per_1m_tokens;
  const output = model.pricing.output_per_1m_tokens;
  if (!input && !output) return t('chat.priceOnRequest');
  if (Number(input ?? 0) === 0 && Number(output ?? 0) === 0) return t('chat.free');
  return t('chat.priceLine', {
    input: formatMoney(input ?? '0'),
    output: formatMoney(output ?? '0'),
    currency: model.pricing.currency,
  });
}

const CAPABILITY_LABELS: Partial<Record<string, MessageKey>> = {
  vision: 'chat.capabilityVision',
  tools: 'chat.capabilityTools',
  reasoning: 'chat.capabilityReasoning',
};

/** Text models grouped by provider, each with its price per 1M tokens and what it can do. */
export function ModelPicker({
  models,
  value,
  onChange,
}: {
  models: ModelInfo[];
  value: string | null;
  onChange(model: string): void;
}) {
  const t = useT();
  const byId = useMemo(() => new Map(models.map((model) => [model.id, model])), [models]);
  const data = useMemo(() => {
    const groups = new Map<string, Array<{ value: string; label: string }>>();
    for (const model of models) {
      const items = groups.get(model.owned_by) ?? [];
      items.push({ value: model.id, label: model.name || model.id });
      groups.set(model.owned_by, items);
    }
    return [...groups].map(([group, items]) => ({ group, items }));
  }, [models]);
  const selected = value ? byId.get(value) : undefined;
  return (
    <Select
      aria-label={t('chat.model')}
      data-testid="model-picker"
      placeholder={t('chat.chooseModel')}
      searchable
      nothingFoundMessage={t('chat.noModelByName')}
      data={data}
      value={value}
      onChange={(next) => next && onChange(next)}
      allowDeselect={false}
      maxDropdownHeight={360}
      maw={{ sm: 360 }}
      comboboxProps={{ width: 'target', position: 'bottom-start' }}
      description={selected ? priceLine(selected, t) : undefined}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      style={{ flex: 1, minWidth: 0 }}
      renderOption={({ option }) => {
        const model = byId.get(option.value);
        if (!model) return option.label;
        return (
          <div>
            <Text size="sm">{model.name || model.id}</Text>
            <Group gap={4} mt={2}>
              <Text size="xs" c="dimmed">
                {priceLine(model, t)}
              </Text>
              {model.capabilities.map((capability) => {
                const label = CAPABILITY_LABELS[capability];
                return (
                  label && (
                    <Badge key={capability} size="xs" variant="outline">
                      {t(label)}
                    </Badge>
                  )
                );
              })}
            </Group>
          </div>
        );
      }}
    />
  );
}
