import { Box } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import {
  type Attachment,
  type ConversationWithMessages,
  conversationKey,
  createConversation,
  type StoredMessage,
  useConversation,
  useConversationActions,
} from '../../api/conversations';
import { ReportOutputModal } from '../../components/report-output-modal';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { ChatFrame } from './chat-frame';
import { activeBranch, type BranchMessage, newestLeafBelow } from './conversation-tree';
import { MessageList } from './message-list';
import type { MessageActions } from './message-view';
import { useChatModel } from './use-chat-model';
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

/** The chat with history on: conversations stored on the server, as branching trees. */
export function SavedChat() {
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const t = useT();
  const conversation = useConversation(conversationId);
  const { model, setModel, models } = useChatModel(conversation.data?.conversation.model);
  const turn = useChatTurn();
  const { setActiveLeaf } = useConversationActions();
  const [reporting, setReporting] = useState<string | null>(null);
  const [createError, setCreateError] = useState<string | null>(null);

  const messages = conversation.data?.messages ?? [];
  const activeLeafId = conversation.data?.conversation.activeLeafId ?? null;
  const stored = useMemo(() => activeBranch(messages, activeLeafId), [messages, activeLeafId]);
  const pending = turn.pending?.request.conversationId === conversationId ? turn.pending : null;
  const branch = withPending(stored, pending);

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
        setCreateError(errorMessage(error));
        return;
      }
      navigate(`/chat/${id}`);
    }
    await turn.send({ conversationId: id, model, text, attachments, parentId, regenerate });
  };

  const actions: MessageActions = {
    onRegenerate: (userMessage) => void send(userMessage.content.text, [], userMessage.id, true),
    onEdit: (message, text) => void send(text, message.content.attachments ?? [], message.parentId),
    onSelectSibling: (sibling) => {
      if (!conversationId) return;
      const leaf = newestLeafBelow(messages, sibling);
      client.setQueryData<ConversationWithMessages>(
        conversationKey(conversationId),
        (data) => data && { ...data, conversation: { ...data.conversation, activeLeafId: leaf.id } },
      );
      void setActiveLeaf(conversationId, leaf.id);
    },
    onReport: setReporting,
  };

  return (
    <ChatFrame
      conversationId={conversationId}
      models={models}
      model={model}
      onModel={setModel}
      error={turn.error ?? createError}
      onDismissError={() => {
        turn.clearError();
        setCreateError(null);
      }}
      streaming={turn.pending !== null}
      onSend={(text, attachments) => void send(text, attachments, stored.at(-1)?.message.id ?? null)}
      onStop={turn.stop}
    >
      {conversationId && conversation.isPending ? (
        <Loading />
      ) : conversationId && conversation.isError ? (
        <ErrorState error={conversation.error} onRetry={() => conversation.refetch()} />
      ) : branch.length === 0 ? (
        <Box style={{ flex: 1 }}>
          <EmptyState title={t('chat.startConversation')}>{t('chat.startHint')}</EmptyState>
        </Box>
      ) : (
        <MessageList
          branch={branch}
          busy={turn.pending !== null}
          streamingId={pending ? pending.answer.id : null}
          actions={actions}
        />
      )}
      <ReportOutputModal generationId={reporting} onClose={() => setReporting(null)} />
    </ChatFrame>
  );
}
