import { Alert, Anchor, Box } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ReportOutputModal } from '../../components/report-output-modal';
import { EmptyState } from '../../components/states';
import { useI18n } from '../../i18n';
import { ChatFrame } from './chat-frame';
import { MessageList } from './message-list';
import type { MessageActions } from './message-view';
import { useChatModel } from './use-chat-model';
import { useUnsavedChat } from './use-unsaved-chat';

/** The chat with history off: nothing is kept once the page is left. */
export function UnsavedChat() {
  const { conversationId } = useParams();
  const { model, setModel, models } = useChatModel(null);
  const chat = useUnsavedChat();
  const { t, rich } = useI18n();
  const [reporting, setReporting] = useState<string | null>(null);

  const actions: MessageActions = {
    onRegenerate: (userMessage) => model && chat.regenerate(userMessage, model),
    onEdit: (message, text) => model && chat.edit(message, text, model),
    onSelectSibling: () => {},
    onReport: setReporting,
  };

  return (
    <ChatFrame
      conversationId={conversationId}
      models={models}
      model={model}
      onModel={setModel}
      notice={
        <Alert color="gray" variant="light" data-testid="history-off-notice">
          {rich('chat.historyOff', {
            link: (
              <Anchor component={Link} to="/settings">
                {t('chat.changeInSettings')}
              </Anchor>
            ),
          })}
        </Alert>
      }
      error={chat.error}
      onDismissError={chat.clearError}
      streaming={chat.streaming}
      onSend={(text, attachments) => model && chat.send(text, attachments, model)}
      onStop={chat.stop}
    >
      {chat.branch.length === 0 ? (
        <Box style={{ flex: 1 }}>
          <EmptyState title={t('chat.startConversation')}>{t('chat.startHintUnsaved')}</EmptyState>
        </Box>
      ) : (
        <MessageList
          branch={chat.branch}
          busy={chat.streaming}
          streamingId={chat.streaming ? (chat.branch.at(-1)?.message.id ?? null) : null}
          actions={actions}
        />
      )}
      <ReportOutputModal generationId={reporting} onClose={() => setReporting(null)} />
    </ChatFrame>
  );
}
