import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';
import { useT } from '../../i18n';

function download(heading: string, codes: string[]) {
  const blob = new Blob([`${heading}\n\n${codes.join('\n')}\n`], { type: 'text/plain' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'mixgate-recovery-codes.txt';
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * Shown once, right after the server made them: it keeps only their hashes. The server's notice
 * says the same in English; this one is in the reader's language.
 */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useT();
  return (
    <Alert color="yellow" title={t('settings.recoveryTitle')} data-testid="recovery-codes">
      <Stack gap="sm">
        <Text size="sm">{t('settings.recoveryText')}</Text>
        <SimpleGrid cols={2} spacing="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {codes.map((code) => (
            <li key={code}>
              <Code style={{ wordBreak: 'break-all' }} data-testid="recovery-code">
                {code}
              </Code>
            </li>
          ))}
        </SimpleGrid>
        <Group gap="xs">
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button
                size="xs"
                variant="light"
                color={copied ? 'green' : undefined}
                leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                onClick={copy}
                data-testid="recovery-codes-copy"
              >
                {copied ? t('settings.copied') : t('settings.copyAll')}
              </Button>
            )}
          </CopyButton>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconDownload size={14} />}
            onClick={() => download(t('settings.recoveryFileHeading'), codes)}
          >
            {t('settings.download')}
          </Button>
          <Button size="xs" onClick={onDone} data-testid="recovery-codes-done">
            {t('settings.savedThem')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
