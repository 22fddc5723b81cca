import { useLocalStorage } from '@mantine/hooks';
import { useMemo } from 'react';
import { useModels } from '../../api/models';

/** The text models and the one in use: the user's last choice, else the conversation's, else the first. */
export function useChatModel(conversationModel: string | null | undefined) {
  const models = useModels();
  const [chosen, setChosen] = useLocalStorage<string | null>({
    key: 'mixgate-chat-model',
    defaultValue: null,
  });
  const textModels = useMemo(
    () => (models.data ?? []).filter((model) => model.modality === 'text'),
    [models.data],
  );
  const model =
    [chosen, conversationModel, textModels[0]?.id].find(
      (id) => id && textModels.some((candidate) => candidate.id === id),
    ) ?? null;
  return {
    model,
    setModel: setChosen,
    models: {
      data: textModels,
      loading: models.isPending,
      error: models.error,
      retry: () => void models.refetch(),
    },
  };
}
