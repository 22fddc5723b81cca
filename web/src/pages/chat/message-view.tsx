import {
  ActionIcon,
  Box,
  Button,
  CopyButton,
  Group,
  Image,
  Paper,
  Stack,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import {
  IconCheck,
  IconChevronLeft,
  IconChevronRight,
  IconCopy,
  IconFileText,
  IconFlag,
  IconPencil,
  IconRefresh,
} from '@tabler/icons-react';
import { useState } from 'react';
import type { Attachment, MessageContent, StoredMessage } from '../../api/conversations';
import { AiLabel } from '../../components/ai-label';
import { formatMoney } from '../../components/money';
import { type MessageKey, useT } from '../../i18n';
import { MessageMarkdown } from './message-markdown';

export interface MessageActions {
  onRegenerate(userMessage: StoredMessage): void;
  onEdit(message: StoredMessage, text: string): void;
  onSelectSibling(sibling: StoredMessage): void;
  onReport(generationId: string): void;
}

interface MessageViewProps {
  message: StoredMessage;
  siblings: StoredMessage[];
  /** The user message an answer replies to (for regenerate). */
  parent: StoredMessage | undefined;
  busy: boolean;
  streaming?: boolean;
  actions: MessageActions;
}

const STATUS_NOTES: Partial<Record<string, MessageKey>> = {
  cancelled: 'chat.statusCancelled',
  interrupted: 'chat.statusInterrupted',
};

export function MessageView({ message, siblings, parent, busy, streaming, actions }: MessageViewProps) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const isUser = message.role === 'user';
  const statusNote = isUser ? undefined : STATUS_NOTES[message.status];
  const position = siblings.findIndex((sibling) => sibling.id === message.id);

  return (
    <Stack
      gap={4}
      align={isUser ? 'flex-end' : 'stretch'}
      data-testid={`message-${message.role}`}
      data-message-id={message.id}
    >
      <Paper
        p="sm"
        radius="md"
        withBorder={!isUser}
        bg={isUser ? 'var(--mantine-primary-color-light)' : undefined}
        maw={isUser ? '85%' : '100%'}
        w={editing ? '100%' : undefined}
      >
        {editing ? (
          <EditBox
            initial={message.content.text}
            onCancel={() => setEditing(false)}
            onSave={(text) => {
              setEditing(false);
              actions.onEdit(message, text);
            }}
          />
        ) : isUser ? (
          <UserContent content={message.content} />
        ) : message.status === 'failed' ? (
          <Text c="red" size="sm" role="alert">
            {message.error ?? t('chat.requestFailed')}
          </Text>
        ) : (
          <Box data-testid="assistant-text">
            <MessageMarkdown text={message.content.text} />
          </Box>
        )}
        {statusNote && (
          <Text size="xs" c="dimmed" mt={4}>
            {t(statusNote)}
          </Text>
        )}
      </Paper>
      <Group gap={4} wrap="wrap" justify={isUser ? 'flex-end' : 'flex-start'}>
        {siblings.length > 1 && position >= 0 && (
          <Group gap={0} data-testid="branch-switcher">
            <ActionIcon
              variant="subtle"
              size="sm"
              disabled={busy || position === 0}
              onClick={() => actions.onSelectSibling(siblings[position - 1]!)}
              aria-label={t('chat.previousVersion')}
            >
              <IconChevronLeft size={14} />
            </ActionIcon>
            <Text size="xs" c="dimmed">
              {position + 1}/{siblings.length}
            </Text>
            <ActionIcon
              variant="subtle"
              size="sm"
              disabled={busy || position === siblings.length - 1}
              onClick={() => actions.onSelectSibling(siblings[position + 1]!)}
              aria-label={t('chat.nextVersion')}
            >
              <IconChevronRight size={14} />
            </ActionIcon>
          </Group>
        )}
        {!isUser && (
          <>
            <AiLabel />
            {message.model && (
              <Text size="xs" c="dimmed" data-testid="message-model">
                {message.model}
              </Text>
            )}
            {message.cost !== null && (
              <Text size="xs" c="dimmed" data-testid="message-cost">
                · {formatMoney(message.cost)}
              </Text>
            )}
          </>
        )}
        {!streaming && (
          <>
            <CopyButton value={message.content.text}>
              {({ copied, copy }) => (
                <Tooltip label={t(copied ? 'chat.copied' : 'chat.copy')} withArrow>
                  <ActionIcon variant="subtle" size="sm" onClick={copy} aria-label={t('chat.copyMessage')}>
                    {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
            {isUser && (
              <Tooltip label={t('chat.editTooltip')} withArrow>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  disabled={busy}
                  onClick={() => setEditing(true)}
                  aria-label={t('chat.editMessage')}
                >
                  <IconPencil size={14} />
                </ActionIcon>
              </Tooltip>
            )}
            {!isUser && parent && (
              <Tooltip label={t('chat.regenerate')} withArrow>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  disabled={busy}
                  onClick={() => actions.onRegenerate(parent)}
                  aria-label={t('chat.regenerateAnswer')}
                >
                  <IconRefresh size={14} />
                </ActionIcon>
              </Tooltip>
            )}
            {!isUser && message.generationId && (
              <Tooltip label={t('common.reportTitle')} withArrow>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  onClick={() => actions.onReport(message.generationId!)}
                  aria-label={t('common.reportTitle')}
                >
                  <IconFlag size={14} />
                </ActionIcon>
              </Tooltip>
            )}
          </>
        )}
      </Group>
    </Stack>
  );
}

function UserContent({ content }: { content: MessageContent }) {
  return (
    <Stack gap="xs">
      {content.attachments && content.attachments.length > 0 && (
        <Group gap="xs">
          {content.attachments.map((attachment, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a stored message's attachments never change order
            <AttachmentPreview key={index} attachment={attachment} />
          ))}
        </Group>
      )}
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {content.text}
      </Text>
    </Stack>
  );
}

function AttachmentPreview({ attachment }: { attachment: Attachment }) {
  if (attachment.kind === 'image') {
    return <Image src={attachment.dataUrl} alt={attachment.name} h={96} w="auto" radius="sm" />;
  }
  return (
    <Group gap={4}>
      <IconFileText size={16} />
      <Text size="xs">{attachment.name}</Text>
    </Group>
  );
}

function EditBox({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave(text: string): void;
  onCancel(): void;
}) {
  const t = useT();
  const [text, setText] = useState(initial);
  return (
    <Stack gap="xs">
      <Textarea
        aria-label={t('chat.editYourMessage')}
        autosize
        minRows={2}
        maxRows={12}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        autoFocus
      />
      <Group justify="flex-end" gap="xs">
        <Button size="xs" variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button size="xs" disabled={!text.trim()} onClick={() => onSave(text)}>
          {t('chat.saveAndSend')}
        </Button>
      </Group>
    </Stack>
  );
}
