import {
  ActionIcon,
  Button,
  CloseButton,
  FileButton,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPaperclip, IconPlayerStopFilled, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import type { Attachment } from '../../api/conversations';
import { ACCEPTED_FILES, MAX_ATTACHMENTS, readAttachment } from './read-attachments';

interface ComposerProps {
  streaming: boolean;
  disabled: boolean;
  allowImages: boolean;
  onSend(text: string, attachments: Attachment[]): void;
  onStop(): void;
}

/** The message box: Enter sends, Shift+Enter starts a new line; files and images can be attached. */
export function Composer({ streaming, disabled, allowImages, onSend, onStop }: ComposerProps) {
  const [text, setText] = useState('');
  // Each with a local key: two files of the same name can be attached and removed one by one.
  const [attachments, setAttachments] = useState<Array<Attachment & { key: string }>>([]);

  const attach = async (files: File[]) => {
    for (const file of files) {
      if (attachments.length >= MAX_ATTACHMENTS) {
        notifications.show({
          color: 'yellow',
          message: `At most ${MAX_ATTACHMENTS} attachments per message`,
        });
        break;
      }
      try {
        const attachment = await readAttachment(file);
        if (attachment.kind === 'image' && !allowImages) {
          notifications.show({
            color: 'yellow',
            message: 'This model does not read images; choose one marked "images".',
          });
          continue;
        }
        setAttachments((current) => [...current, { ...attachment, key: crypto.randomUUID() }]);
      } catch (error) {
        notifications.show({ color: 'red', message: error instanceof Error ? error.message : String(error) });
      }
    }
  };

  const submit = () => {
    if (streaming || disabled || !text.trim()) return;
    onSend(
      text.trim(),
      attachments.map(({ key: _key, ...attachment }) => attachment),
    );
    setText('');
    setAttachments([]);
  };

  return (
    <Paper withBorder p="xs" radius="md">
      <Stack gap={6}>
        {attachments.length > 0 && (
          <Group gap="xs">
            {attachments.map((attachment) => (
              <Group key={attachment.key} gap={2} wrap="nowrap">
                <Text size="xs" maw={160} truncate>
                  {attachment.name}
                </Text>
                <CloseButton
                  size="xs"
                  aria-label={`Remove ${attachment.name}`}
                  onClick={() =>
                    setAttachments((current) => current.filter((item) => item.key !== attachment.key))
                  }
                />
              </Group>
            ))}
          </Group>
        )}
        <Textarea
          aria-label="Message"
          data-testid="composer-input"
          placeholder="Send a message…"
          autosize
          minRows={1}
          maxRows={10}
          variant="unstyled"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <Group justify="space-between">
          <FileButton onChange={(files) => void attach(files)} accept={ACCEPTED_FILES} multiple>
            {(props) => (
              <Tooltip label="Attach images or text files" withArrow>
                <ActionIcon {...props} variant="subtle" aria-label="Attach files" disabled={streaming}>
                  <IconPaperclip size={18} />
                </ActionIcon>
              </Tooltip>
            )}
          </FileButton>
          {streaming ? (
            <Button
              size="xs"
              color="red"
              variant="light"
              leftSection={<IconPlayerStopFilled size={14} />}
              onClick={onStop}
              data-testid="stop-button"
            >
              Stop
            </Button>
          ) : (
            <Button
              size="xs"
              leftSection={<IconSend size={14} />}
              onClick={submit}
              disabled={disabled || !text.trim()}
              data-testid="send-button"
            >
              Send
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
