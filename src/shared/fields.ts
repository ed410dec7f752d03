import { z } from 'zod';
import { CONTROL_CHARACTERS } from './text';

/**
 * Zod field builders shared by the server contracts and the web forms. Messages are keys of
 * `validationMessages` (src/server/validation.ts), phrased per request language by the error handler.
 */

/** Trimmed text of bounded length without control characters: the default for every free-text field. */
export function text(max = 500) {
  return z
    .string()
    .max(max)
    .refine((v) => !CONTROL_CHARACTERS.test(v), { message: 'text.control' })
    .transform((v) => v.trim());
}

/** Like `text` but must not be blank after trimming. */
export function requiredText(max = 500) {
  return text(max).refine((v) => v.length > 0, { message: 'text.blank' });
}
