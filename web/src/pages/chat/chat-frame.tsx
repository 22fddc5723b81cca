import { Alert, Box, Button, Drawer, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconMessages } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Attachment } from '../../api/conversations';
import type { ModelInfo } from '../../api/models';
import { AiLabel } from '../../components/ai-label';
import { ErrorState } from '../../components/states';
import { useT } from '../../i18n';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { ModelPicker } from './model-picker';

interface ChatFrameProps {
  conversationId: string | undefined;
  models: { data: ModelInfo[]; loading: boolean; error: unknown; retry(): void };
  model: string | null;
  onModel(model: string): void;
  /** Shown above the messages (e.g. "history is off"). */
  notice?: ReactNode;
  children: ReactNode;
  error: string | null;
  onDismissError(): void;
  streaming: boolean;
  onSend(text: string, attachments: Attachment[]): void;
  onStop(): void;
}

/** The chat's frame: conversations beside (a drawer on phones), model picker, messages, composer. */
export function ChatFrame(props: ChatFrameProps) {
  const t = useT();
  const [listOpened, list] = useDisclosure(false);
  const sidebar = <ConversationList activeId={props.conversationId} onNavigate={list.close} />;
  const modelInfo = props.models.data.find((candidate) => candidate.id === props.model);
  return (
    <Group
      align="stretch"
      gap="md"
      wrap="nowrap"
      h="calc(100dvh - var(--app-shell-header-height, 56px) - 2 * var(--mantine-spacing-md))"
    >
      <Box w={260} visibleFrom="md" style={{ flexShrink: 0 }}>
        {sidebar}
      </Box>
      <Drawer
        opened={listOpened}
        onClose={list.close}
        title={t('chat.conversations')}
        hiddenFrom="md"
        size="xs"
      >
        <Box h="calc(100dvh - 80px)">{sidebar}</Box>
      </Drawer>
      <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
        <h1 style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
          {t('chat.heading')}
        </h1>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Button
            variant="default"
            hiddenFrom="md"
            onClick={list.open}
            leftSection={<IconMessages size={16} />}
            style={{ flexShrink: 0 }}
          >
            {t('chat.chats')}
          </Button>
          {props.models.error ? (
            <ErrorState error={props.models.error} onRetry={props.models.retry} />
          ) : (
            <ModelPicker models={props.models.data} value={props.model} onChange={props.onModel} />
          )}
        </Group>
        {props.notice}
        {props.children}
        {props.error && (
          <Alert
            color="red"
            withCloseButton
            onClose={props.onDismissError}
            role="alert"
            data-testid="chat-error"
          >
            {props.error}
          </Alert>
        )}
        <Composer
          streaming={props.streaming}
          disabled={!props.model}
          waitingForModel={props.models.loading}
          allowImages={modelInfo?.capabilities.includes('vision') ?? false}
          onSend={props.onSend}
          onStop={props.onStop}
        />
        <Group gap={6} justify="center">
          <AiLabel />
          <Text size="xs" c="dimmed">
            {t('chat.disclaimer')}
          </Text>
        </Group>
      </Stack>
    </Group>
  );
}
