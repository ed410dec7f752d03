import { describe, expect, it } from 'vitest';
import { isInputRejectedByDatabase } from '../db/errors';

describe('database errors caused by input', () => {
  it('recognises input data exceptions, also wrapped by the driver layer', () => {
    expect(
      isInputRejectedByDatabase({
        code: '22021',
        message: 'invalid byte sequence for encoding "UTF8": 0x00',
      }),
    ).toBe(true);
    expect(isInputRejectedByDatabase(new Error('Failed query', { cause: { code: '22P02' } }))).toBe(true);
    expect(isInputRejectedByDatabase({ code: '22008' })).toBe(true);
  });

  it('leaves real faults as faults', () => {
    expect(isInputRejectedByDatabase({ code: '23505' })).toBe(false);
    expect(isInputRejectedByDatabase({ code: '40P01' })).toBe(false);
    expect(isInputRejectedByDatabase(new Error('connection terminated'))).toBe(false);
    expect(isInputRejectedByDatabase(undefined)).toBe(false);
  });
});
