import { usePreferences } from '../../api/preferences';
import { ErrorState, Loading } from '../../components/states';
import { SavedChat } from './saved-chat';
import { UnsavedChat } from './unsaved-chat';

/** The chat: saved conversations, or, with history turned off, one that lives in this page only. */
export function ChatPage() {
  const preferences = usePreferences();
  if (preferences.isPending) return <Loading />;
  if (preferences.isError)
    return <ErrorState error={preferences.error} onRetry={() => preferences.refetch()} />;
  return preferences.data.historyEnabled ? <SavedChat /> : <UnsavedChat />;
}
