import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';

function download(codes: string[]) {
  const blob = new Blob([`Mixgate recovery codes\n\n${codes.join('\n')}\n`], { type: 'text/plain' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'mixgate-recovery-codes.txt';
  link.click();
  URL.revokeObjectURL(url);
}

/** Shown once, right after the server made them: it keeps only their hashes. */
export function RecoveryCodes({
  codes,
  notice,
  onDone,
}: {
  codes: string[];
  notice: string;
  onDone: () => void;
}) {
  return (
    <Alert color="yellow" title="Save your recovery codes now" data-testid="recovery-codes">
      <Stack gap="sm">
        <Text size="sm">{notice} If you lose your authenticator app, each code lets you sign in once.</Text>
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
                {copied ? 'Copied' : 'Copy all'}
              </Button>
            )}
          </CopyButton>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconDownload size={14} />}
            onClick={() => download(codes)}
          >
            Download
          </Button>
          <Button size="xs" onClick={onDone} data-testid="recovery-codes-done">
            I have saved them
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
