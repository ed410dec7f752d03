import { useCallback, useEffect, useRef, useState } from 'react';

export type AutosaveStatus = 'saved' | 'pending' | 'saving' | 'failed';

type Options<T> = {
  value: T;
  /** Sends the whole value; resolves when the server has it. */
  save: (value: T) => Promise<unknown>;
  /** Quiet time after the last change before saving. */
  delay?: number;
  /** Off: nothing is sent (a locked sheet, a refused save waiting for the user). */
  enabled?: boolean;
};

/**
 * Saves a value some time after it stops changing, one save at a time, always the latest value.
 * A failed save keeps the value where it is (the caller's state), says so, and is tried again on
 * the next change or on `retry`; `flush` saves now and tells whether everything is saved. While
 * something is unsaved, leaving the page asks first.
 */
export function useAutosave<T>({ value, save, delay = 800, enabled = true }: Options<T>) {
  const serialized = JSON.stringify(value);
  const savedRef = useRef(serialized);
  const latestRef = useRef({ value, serialized });
  latestRef.current = { value, serialized };
  const saveRef = useRef(save);
  saveRef.current = save;
  const inFlight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [status, setStatus] = useState<AutosaveStatus>('saved');
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [error, setError] = useState<unknown>(null);
  const errorRef = useRef<unknown>(null);

  const run = useCallback(async (): Promise<boolean> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    // One save at a time: wait for the one under way, then send what is latest.
    while (inFlight.current) await inFlight.current;
    const snapshot = latestRef.current;
    if (snapshot.serialized === savedRef.current) {
      setStatus('saved');
      return true;
    }
    setStatus('saving');
    const attempt = (async () => {
      try {
        await saveRef.current(snapshot.value);
        savedRef.current = snapshot.serialized;
        setSavedAt(new Date());
        errorRef.current = null;
        setError(null);
        return true;
      } catch (err) {
        errorRef.current = err;
        setError(err);
        setStatus('failed');
        return false;
      }
    })();
    inFlight.current = attempt;
    const ok = await attempt;
    inFlight.current = null;
    if (!ok) return false;
    if (latestRef.current.serialized !== savedRef.current) return run();
    setStatus('saved');
    return true;
  }, []);

  const dirty = serialized !== savedRef.current;

  useEffect(() => {
    if (!enabled || serialized === savedRef.current) return;
    setStatus((s) => (s === 'saving' ? s : 'pending'));
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void run(), delay);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [serialized, enabled, delay, run]);

  // Leaving the page inside the app saves what is still waiting for its quiet time.
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  useEffect(
    () => () => {
      if (enabledRef.current && latestRef.current.serialized !== savedRef.current) void run();
    },
    [run],
  );

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  /** The last save's refusal, readable right after `flush` resolves (state updates come later). */
  const lastError = useCallback(() => errorRef.current, []);

  return {
    status: dirty && status === 'saved' ? ('pending' as const) : status,
    savedAt,
    error,
    lastError,
    dirty,
    retry: run,
    flush: run,
  };
}
