import { Alert, Box, Button, Drawer, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useLocalStorage } from '@mantine/hooks';
import { IconMessages } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import {
  type Attachment,
  type Conversation,
  conversationKey,
  createConversation,
  type StoredMessage,
  useConversation,
  useConversationActions,
} from '../../api/conversations';
import { useModels } from '../../api/models';
import { AiLabel } from '../../components/ai-label';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { activeBranch, type BranchMessage, newestLeafBelow } from './conversation-tree';
import { MessageList } from './message-list';
import type { MessageActions } from './message-view';
import { ModelPicker } from './model-picker';
import { ReportOutputModal } from './report-output-modal';
import { type PendingTurn, useChatTurn } from './use-chat-turn';

/** The stored branch with the turn in progress on top: cut at its parent, then its messages. */
function withPending(branch: BranchMessage[], pending: PendingTurn | null): BranchMessage[] {
  if (!pending) return branch;
  const cut = pending.request.parentId
    ? branch.slice(0, branch.findIndex(({ message }) => message.id === pending.request.parentId) + 1)
    : [];
  const added = [pending.userMessage, pending.answer].filter(
    (message): message is StoredMessage => message !== null,
  );
  return [...cut, ...added.map((message) => ({ message, siblings: [message] }))];
}

export function ChatPage() {
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const models = useModels();
  const conversation = useConversation(conversationId);
  const turn = useChatTurn();
  const { setActiveLeaf } = useConversationActions();
  const [listOpened, list] = useDisclosure(false);
  const [reporting, setReporting] = useState<string | null>(null);
  const [chosenModel, setChosenModel] = useLocalStorage<string | null>({
    key: 'mixgate-chat-model',
    defaultValue: null,
  });

  const textModels = useMemo(
    () => (models.data ?? []).filter((model) => model.modality === 'text'),
    [models.data],
  );
  const model =
    [chosenModel, conversation.data?.conversation.model, textModels[0]?.id].find(
      (id) => id && textModels.some((candidate) => candidate.id === id),
    ) ?? null;
  const modelInfo = textModels.find((candidate) => candidate.id === model);

  const messages = conversation.data?.messages ?? [];
  const stored = useMemo(
    () => activeBranch(messages, conversation.data?.conversation.activeLeafId ?? null),
    [messages, conversation.data?.conversation.activeLeafId],
  );
  const pending = turn.pending?.request.conversationId === conversationId ? turn.pending : null;
  const branch = withPending(stored, pending);
  const busy = turn.pending !== null;

  const send = async (
    text: string,
    attachments: Attachment[],
    parentId: string | null,
    regenerate = false,
  ) => {
    if (!model) return;
    let id = conversationId;
    if (!id) {
      try {
        id = (await createConversation(model)).id;
      } catch (error) {
        turn.clearError();
        setCreateError(errorMessage(error));
        return;
      }
      navigate(`/chat/${id}`);
    }
    await turn.send({ conversationId: id, model, text, attachments, parentId, regenerate });
  };
  const [createError, setCreateError] = useState<string | null>(null);

  const actions: MessageActions = {
    onRegenerate: (userMessage) => void send(userMessage.content.text, [], userMessage.id, true),
    onEdit: (message, text) => void send(text, message.content.attachments ?? [], message.parentId),
    onSelectSibling: (sibling) => {
      if (!conversationId) return;
      const leaf = newestLeafBelow(messages, sibling);
      client.setQueryData<{ conversation: Conversation; messages: StoredMessage[] }>(
        conversationKey(conversationId),
        (data) => data && { ...data, conversation: { ...data.conversation, activeLeafId: leaf.id } },
      );
      void setActiveLeaf(conversationId, leaf.id);
    },
    onReport: setReporting,
  };

  const sidebar = <ConversationList activeId={conversationId} onNavigate={list.close} />;
  const problem = turn.error ?? createError;

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
      <Drawer opened={listOpened} onClose={list.close} title="Conversations" hiddenFrom="md" size="xs">
        <Box h="calc(100dvh - 80px)">{sidebar}</Box>
      </Drawer>
      <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Button
            variant="default"
            hiddenFrom="md"
            onClick={list.open}
            leftSection={<IconMessages size={16} />}
            aria-label="Show conversations"
          >
            Chats
          </Button>
          {models.isError ? (
            <ErrorState error={models.error} onRetry={() => models.refetch()} />
          ) : (
            <ModelPicker models={textModels} value={model} onChange={setChosenModel} />
          )}
        </Group>
        {conversationId && conversation.isPending ? (
          <Loading />
        ) : conversationId && conversation.isError ? (
          <ErrorState error={conversation.error} onRetry={() => conversation.refetch()} />
        ) : branch.length === 0 ? (
          <Box style={{ flex: 1 }}>
            <EmptyState title="Start a conversation">
              Pick a model above and send a message. Every answer shows what it cost and which model wrote it.
            </EmptyState>
          </Box>
        ) : (
          <MessageList
            branch={branch}
            busy={busy}
            streamingId={pending ? pending.answer.id : null}
            actions={actions}
          />
        )}
        {problem && (
          <Alert
            color="red"
            withCloseButton
            onClose={() => {
              turn.clearError();
              setCreateError(null);
            }}
            role="alert"
            data-testid="chat-error"
          >
            {problem}
          </Alert>
        )}
        <Composer
          streaming={busy}
          disabled={!model}
          allowImages={modelInfo?.capabilities.includes('vision') ?? false}
          onSend={(text, attachments) => void send(text, attachments, stored.at(-1)?.message.id ?? null)}
          onStop={turn.stop}
        />
        <Group gap={6} justify="center">
          <AiLabel />
          <Text size="xs" c="dimmed">
            Answers come from AI models and can be wrong. Check what matters.
          </Text>
        </Group>
      </Stack>
      <ReportOutputModal generationId={reporting} onClose={() => setReporting(null)} />
      <Title
        order={1}
        className="visually-hidden"
        style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}
      >
        Chat
      </Title>
    </Group>
  );
}
