import { Badge, Tooltip } from '@mantine/core';
import { useT } from '../i18n';

/** The AI-generated label every output carries (EU AI Act Art. 50 transparency). */
export function AiLabel() {
  const t = useT();
  return (
    <Tooltip label={t('common.aiGeneratedTooltip')} withArrow>
      <Badge size="xs" variant="light" color="grape" data-testid="ai-label">
        {t('common.aiGenerated')}
      </Badge>
    </Tooltip>
  );
}
