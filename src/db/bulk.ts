/**
 * Helpers of the bulk writers (subjects, products, certificates of a registry import): slices of
 * rows small enough for one statement, and the error naming which item of a batch was refused.
 */

/** Rows per multi-row INSERT: ~25 columns × 500 stays far below PostgreSQL's 65,535 parameters. */
export const BULK_CHUNK = 500;

export function chunked<T>(items: readonly T[], size = BULK_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A batch refused because of one of its items: `index` is the item's position in the input. */
export class BulkItemError extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`item ${index} of the batch was refused`);
  }
}

/** Runs a check for one item, naming the item when it throws. */
export function forItem<T>(index: number, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new BulkItemError(index, error);
  }
}

/** Lets the event loop serve other requests between two chunks of a long write. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
