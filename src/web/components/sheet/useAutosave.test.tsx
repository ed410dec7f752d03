// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAutosave } from './useAutosave';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A save the test resolves or rejects by hand. */
function manualSave() {
  const calls: { value: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const save = (value: string) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ value, resolve, reject });
    });
  return { calls, save };
}

describe('useAutosave', () => {
  it('waits for quiet, saves one at a time, and always ends with the latest value', async () => {
    const { calls, save } = manualSave();
    const { result, rerender } = renderHook(({ value }) => useAutosave({ value, save, delay: 500 }), {
      initialProps: { value: 'a' },
    });
    expect(result.current.status).toBe('saved');
    rerender({ value: 'b' });
    rerender({ value: 'c' });
    expect(result.current.status).toBe('pending');
    await act(async () => vi.advanceTimersByTime(500));
    expect(calls.map((c) => c.value)).toEqual(['c']);
    expect(result.current.status).toBe('saving');
    // A change while the save is under way waits for it, then goes out.
    rerender({ value: 'd' });
    await act(async () => vi.advanceTimersByTime(500));
    expect(calls).toHaveLength(1);
    await act(async () => calls[0]!.resolve());
    await act(async () => vi.advanceTimersByTime(0));
    expect(calls.map((c) => c.value)).toEqual(['c', 'd']);
    await act(async () => calls[1]!.resolve());
    expect(result.current.status).toBe('saved');
    expect(result.current.savedAt).toBeInstanceOf(Date);
    expect(result.current.dirty).toBe(false);
  });

  it('reports a failure, keeps the value unsaved, and saves it on retry', async () => {
    const { calls, save } = manualSave();
    const { result, rerender } = renderHook(({ value }) => useAutosave({ value, save, delay: 100 }), {
      initialProps: { value: 'a' },
    });
    rerender({ value: 'b' });
    await act(async () => vi.advanceTimersByTime(100));
    await act(async () => calls[0]!.reject(new Error('offline')));
    expect(result.current.status).toBe('failed');
    expect(result.current.dirty).toBe(true);
    expect((result.current.lastError() as Error).message).toBe('offline');
    let ok: Promise<boolean> = Promise.resolve(false);
    act(() => {
      ok = result.current.retry();
    });
    await act(async () => calls[1]!.resolve());
    expect(await ok).toBe(true);
    expect(calls.map((c) => c.value)).toEqual(['b', 'b']);
    expect(result.current.status).toBe('saved');
  });

  it('saves what is waiting when the page goes away', async () => {
    const { calls, save } = manualSave();
    const { rerender, unmount } = renderHook(({ value }) => useAutosave({ value, save, delay: 800 }), {
      initialProps: { value: 'a' },
    });
    rerender({ value: 'b' });
    unmount();
    expect(calls.map((c) => c.value)).toEqual(['b']);
  });

  it('sends nothing while disabled', async () => {
    const { calls, save } = manualSave();
    const { rerender } = renderHook(({ value }) => useAutosave({ value, save, delay: 100, enabled: false }), {
      initialProps: { value: 'a' },
    });
    rerender({ value: 'b' });
    await act(async () => vi.advanceTimersByTime(1000));
    expect(calls).toHaveLength(0);
  });
});
