import {
  ActionIcon,
  Button,
  CloseButton,
  FileButton,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPaperclip, IconPlayerStopFilled, IconSend } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { Attachment } from '../../api/conversations';
import { type MessageKey, useT } from '../../i18n';
import { ACCEPTED_FILES, AttachmentError, MAX_ATTACHMENTS, readAttachment } from './read-attachments';

interface ComposerProps {
  streaming: boolean;
  /** No model to send to. */
  disabled: boolean;
  /** The models are still loading: a message sent now goes as soon as there is one. */
  waitingForModel: boolean;
  allowImages: boolean;
  onSend(text: string, attachments: Attachment[]): void;
  onStop(): void;
}

const REFUSALS: Record<AttachmentError['reason'], MessageKey> = {
  unreadable: 'chat.fileUnreadable',
  imageTooLarge: 'chat.imageTooLarge',
  textTooLarge: 'chat.textTooLarge',
  notText: 'chat.notText',
};

/** The message box: Enter sends, Shift+Enter starts a new line; files and images can be attached. */
export function Composer({
  streaming,
  disabled,
  waitingForModel,
  allowImages,
  onSend,
  onStop,
}: ComposerProps) {
  const t = useT();
  const [text, setText] = useState('');
  // Each with a local key: two files of the same name can be attached and removed one by one.
  const [attachments, setAttachments] = useState<Array<Attachment & { key: string }>>([]);
  // Sent before the models arrived (the box takes input at once; the model list follows).
  const [queued, setQueued] = useState(false);

  const attach = async (files: File[]) => {
    for (const file of files) {
      if (attachments.length >= MAX_ATTACHMENTS) {
        notifications.show({
          color: 'yellow',
          message: t('chat.tooManyAttachments', { max: MAX_ATTACHMENTS }),
        });
        break;
      }
      try {
        const attachment = await readAttachment(file);
        if (attachment.kind === 'image' && !allowImages) {
          notifications.show({ color: 'yellow', message: t('chat.noImages') });
          continue;
        }
        setAttachments((current) => [...current, { ...attachment, key: crypto.randomUUID() }]);
      } catch (error) {
        const message =
          error instanceof AttachmentError
            ? t(REFUSALS[error.reason], { name: error.fileName })
            : error instanceof Error
              ? error.message
              : String(error);
        notifications.show({ color: 'red', message });
      }
    }
  };

  const submit = () => {
    if (streaming || !text.trim()) return;
    if (waitingForModel) {
      setQueued(true);
      return;
    }
    if (disabled) return;
    onSend(
      text.trim(),
      attachments.map(({ key: _key, ...attachment }) => attachment),
    );
    setText('');
    setAttachments([]);
  };

  // The models have arrived: send what was queued, unless there is still no model to send to
  // (then the text stays in the box, and the picker says why).
  useEffect(() => {
    if (!queued || waitingForModel) return;
    setQueued(false);
    submit();
  });

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
                  aria-label={t('chat.removeAttachment', { name: attachment.name })}
                  onClick={() =>
                    setAttachments((current) => current.filter((item) => item.key !== attachment.key))
                  }
                />
              </Group>
            ))}
          </Group>
        )}
        <Textarea
          aria-label={t('chat.message')}
          data-testid="composer-input"
          placeholder={t('chat.placeholder')}
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
              <Tooltip label={t('chat.attachTooltip')} withArrow>
                <ActionIcon
                  {...props}
                  variant="subtle"
                  aria-label={t('chat.attachFiles')}
                  disabled={streaming}
                >
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
              {t('chat.stop')}
            </Button>
          ) : waitingForModel ? (
            // Clickable still: a message sent now is sent once a model is there.
            <Button
              size="xs"
              variant="light"
              leftSection={<Loader size={12} />}
              onClick={submit}
              aria-busy
              data-testid="send-button"
              data-queued={queued || undefined}
            >
              {t('chat.loadingModels')}
            </Button>
          ) : (
            <Button
              size="xs"
              leftSection={<IconSend size={14} />}
              onClick={submit}
              disabled={disabled || !text.trim()}
              data-testid="send-button"
            >
              {t('chat.send')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
