import { ActionIcon, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useT } from '../../i18n';

interface Props {
  label: string;
  /** The copy button's name, "Copy the secret key": a whole phrase, since languages build it differently. */
  copyLabel: string;
  value: string;
  testId?: string;
}

/** A long value to copy (a secret, a URI, a token): wraps anywhere, with a labelled copy button. */
export function CopyField({ label, copyLabel, value, testId }: Props) {
  const t = useT();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('settings.copied') : t('settings.copy')} withArrow>
              <ActionIcon
                variant="light"
                color={copied ? 'green' : undefined}
                onClick={copy}
                aria-label={copyLabel}
              >
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
