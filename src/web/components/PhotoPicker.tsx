import { Box, CloseButton, Group, Image, Input, Stack, Text } from '@mantine/core';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

export const DEFAULT_ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];

type Props = {
  file: File | null;
  onChange: (file: File | null) => void;
  error?: string;
  description?: string;
  acceptedTypes?: string[];
  maxBytes?: number;
};

/** Why a chosen file cannot be a product photo, checked before any upload; the server checks again. */
export function photoProblem(
  file: File,
  acceptedTypes: string[],
  maxBytes: number | undefined,
  t: (key: 'photos.notImage' | 'photos.tooLarge', options?: { mb: string }) => string,
): string | null {
  if (!file.type.startsWith('image/') || (acceptedTypes.length > 0 && !acceptedTypes.includes(file.type))) {
    return t('photos.notImage');
  }
  if (maxBytes && file.size > maxBytes)
    return t('photos.tooLarge', { mb: (maxBytes / 1024 / 1024).toFixed(0) });
  return null;
}

/**
 * A plain file input (phones open the camera or gallery from it) with a preview of the chosen
 * photo. The input keeps its own label so it can be found and used by assistive technology.
 */
export function PhotoPicker({
  file,
  onChange,
  error,
  description,
  acceptedTypes = DEFAULT_ACCEPTED,
  maxBytes,
}: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [inputKey, setInputKey] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const preview = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  const choose = (chosen: File | null) => {
    if (!chosen) return onChange(null);
    const why = photoProblem(chosen, acceptedTypes, maxBytes, t);
    setProblem(why);
    if (why) {
      setInputKey((k) => k + 1);
      return onChange(null);
    }
    onChange(chosen);
  };

  return (
    <Stack gap="xs">
      <Input.Wrapper
        label={t('photos.input')}
        description={description ?? t('photos.hint')}
        error={problem ?? error}
        id={id}
      >
        <Box mt={4}>
          <input
            key={inputKey}
            id={id}
            type="file"
            accept={acceptedTypes.join(',')}
            onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)}
            aria-invalid={Boolean(problem ?? error)}
            aria-describedby={problem || error ? `${id}-error ${id}-description` : `${id}-description`}
            style={{ maxWidth: '100%' }}
          />
        </Box>
      </Input.Wrapper>
      {file && preview && (
        <Group gap="sm" align="flex-start" wrap="nowrap">
          <Image
            src={preview}
            alt={t('photos.preview', { name: file.name })}
            w={120}
            h={120}
            fit="cover"
            radius="md"
          />
          <Stack gap={2} miw={0}>
            <Text size="sm" truncate="end">
              {file.name}
            </Text>
            <Text size="xs" c="dimmed">
              {(file.size / 1024).toFixed(0)} KB
            </Text>
            <CloseButton
              aria-label={t('common.cancel')}
              onClick={() => {
                setInputKey((k) => k + 1);
                onChange(null);
              }}
            />
          </Stack>
        </Group>
      )}
    </Stack>
  );
}
