import { Alert, Button, List, Text } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldErrors } from '../api';
import { errorMessage } from './PageStates';

/**
 * Errors of one form: the API's `fields` (already in the UI language) merged with the form's
 * own checks, keyed by the same dotted paths the API uses (`salesChannels.0.kind`). Inputs show
 * `fieldError(path)` inline; editing a field clears its message.
 */
export function useFormFeedback() {
  const [error, setErrorState] = useState<unknown>(null);
  const [fields, setFields] = useState<FieldErrors>({});

  const setError = useCallback((next: unknown) => {
    setErrorState(next);
    setFields(next instanceof ApiError ? { ...next.fields } : {});
  }, []);

  const setClientErrors = useCallback((next: FieldErrors) => {
    setErrorState(null);
    setFields(next);
  }, []);

  const clearField = useCallback((path: string) => {
    setFields((current) => {
      if (!(path in current)) return current;
      const { [path]: _removed, ...rest } = current;
      return rest;
    });
  }, []);

  const reset = useCallback(() => {
    setErrorState(null);
    setFields({});
  }, []);

  return useMemo(
    () => ({
      error,
      fields,
      fieldError: (path: string): string | undefined => fields[path],
      hasErrors: error !== null || Object.keys(fields).length > 0,
      setError,
      setClientErrors,
      clearField,
      reset,
    }),
    [error, fields, setError, setClientErrors, clearField, reset],
  );
}

export type FormFeedback = ReturnType<typeof useFormFeedback>;

/**
 * The summary above a form. Field messages appear next to their inputs; any the form has no
 * input for (`shownFields` lists those it has) are listed here so no message is ever lost.
 */
export function FormAlert({
  feedback,
  shownFields,
  onReload,
}: {
  feedback: FormFeedback;
  shownFields?: readonly string[];
  onReload?: () => void;
}) {
  const { t } = useTranslation();
  const { error, fields } = feedback;
  const fieldPaths = Object.keys(fields);
  if (!error && fieldPaths.length === 0) return null;

  const isStale = error instanceof ApiError && error.code === 'STALE';
  const unshown = shownFields ? fieldPaths.filter((path) => !shownFields.includes(path)) : [];
  const message = error ? errorMessage(error) : t('errors.fixFields');

  return (
    <Alert color="red" role="alert" title={message} mb="md">
      {fieldPaths.length > 0 && error !== null && <Text size="sm">{t('errors.fixFields')}</Text>}
      {unshown.length > 0 && (
        <List size="sm" mt="xs">
          {unshown.map((path) => (
            <List.Item key={path}>
              {path}: {fields[path]}
            </List.Item>
          ))}
        </List>
      )}
      {isStale && onReload && (
        <Button mt="sm" size="xs" variant="outline" color="red" onClick={onReload}>
          {t('errors.reload')}
        </Button>
      )}
    </Alert>
  );
}
