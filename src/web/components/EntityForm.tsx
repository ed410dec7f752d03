import { Button, Group } from '@mantine/core';
import { type ChangeEvent, type Dispatch, type SetStateAction, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { FieldErrors } from '../api';
import { type FormFeedback, useFormFeedback } from './FormFeedback';
import type { UnitValue } from './UnitPicker';

type Callbacks<R> = { onSuccess: (saved: R) => void; onError: (error: unknown) => void };
/** The part of a react-query mutation the form drives. */
type Write<I, R> = { mutate: (input: I, callbacks: Callbacks<R>) => void; isPending: boolean };

/** Keys of the values that hold free text, for inputs bound with `text(key)`. */
type TextKey<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

type Options<V, I, R extends { id: string; version: number }> = {
  /** The record being edited; undefined on a new one. */
  record: R | undefined;
  /** The form's values for the record, or the starting values of a new one. */
  valuesOf: (record: R | undefined) => V;
  required: readonly (keyof V & string)[];
  create: Write<I, R>;
  /** Edits carry the version they were read at, so saving over someone else's change is refused (409). */
  update: Write<I & { version: number }, R>;
  /** Where records live: the saved one opens at `${basePath}/${id}`. */
  basePath: string;
  createdNotice: string;
};

const isBlank = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/**
 * The state and the save of a record's create/edit form: values, inline messages (the form's own
 * checks and the API's `fields`, both cleared when the field is edited), required fields checked
 * before calling the API, and after saving, the record's page with a notice.
 */
export function useEntityForm<V extends object, I, R extends { id: string; version: number }>({
  record,
  valuesOf,
  required,
  create,
  update,
  basePath,
  createdNotice,
}: Options<V, I, R>) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const feedback = useFormFeedback();
  const [values, setValues] = useState<V>(() => valuesOf(record));

  // A reload after a stale-version refusal brings the newest record: start again from it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new record resets the form, not a new valuesOf
  useEffect(() => {
    if (record) setValues(valuesOf(record));
  }, [record]);

  const set = <K extends keyof V>(key: K, value: V[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    feedback.clearField(String(key));
  };

  /** Value, change handler and message of a text input. */
  const text = <K extends TextKey<V>>(key: K) => ({
    value: values[key] as string,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      set(key, e.currentTarget.value as V[K]),
    error: feedback.fieldError(key),
  });

  /** Marks the empty required fields; true when there is none, so the form may be sent. */
  const checkRequired = (): boolean => {
    const missing: FieldErrors = {};
    for (const key of required) if (isBlank(values[key])) missing[key] = t('errors.required');
    if (Object.keys(missing).length > 0) {
      feedback.setClientErrors(missing);
      return false;
    }
    feedback.reset();
    return true;
  };

  const open = (saved: R, notice: string) => navigate(`${basePath}/${saved.id}`, { state: { notice } });

  /** Creates or updates; `afterCreate` replaces opening the new record (a product uploads its photo first). */
  const save = (input: I, afterCreate?: (created: R) => void) => {
    if (record) {
      update.mutate(
        { ...input, version: record.version },
        { onSuccess: (saved) => open(saved, t('common.saved')), onError: feedback.setError },
      );
    } else {
      create.mutate(input, {
        onSuccess: (created) => (afterCreate ? afterCreate(created) : open(created, createdNotice)),
        onError: feedback.setError,
      });
    }
  };

  const cancel = () => navigate(record ? `${basePath}/${record.id}` : basePath);

  return {
    values,
    setValues,
    set,
    text,
    feedback,
    checkRequired,
    save,
    open,
    cancel,
    saving: create.isPending || update.isPending,
  };
}

/** Save and cancel at the foot of a record's form. */
export function FormButtons({ saving, onCancel }: { saving: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Group>
      <Button type="submit" loading={saving}>
        {t('common.save')}
      </Button>
      <Button variant="default" onClick={onCancel} disabled={saving}>
        {t('common.cancel')}
      </Button>
    </Group>
  );
}

/**
 * Binds a required UnitPicker to a form whose values hold `provinceCode` and `communeCode`;
 * `reset` clears what belonged to the old commune.
 */
export function unitPickerProps<V extends UnitValue>(
  form: { values: V; setValues: Dispatch<SetStateAction<V>>; feedback: FormFeedback },
  reset: Partial<V> = {},
) {
  return {
    value: { provinceCode: form.values.provinceCode, communeCode: form.values.communeCode },
    onChange: (unit: UnitValue) => {
      form.setValues((current) => ({ ...current, ...unit, ...reset }));
      form.feedback.clearField('communeCode');
    },
    communeError: form.feedback.fieldError('communeCode'),
    required: true,
  };
}
