/**
 * What changed in one audit entry, field by field. The audit log stores whole before/after
 * snapshots; people want to see only the fields that differ.
 */
export type FieldChange = { field: string; before: unknown; after: unknown };

/**
 * Bookkeeping columns every write touches, and columns the database derives from others (a
 * stored sort key follows the name); listing them would hide the real change.
 */
const NOISE = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'version',
  'passwordHash',
  'nameSortKey',
  'nameSearch',
]);

/** "", null, missing and [] all mean "nothing there"; going from one to another is no change. */
function normalised(value: unknown): string {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    return 'null';
  }
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function changedFields(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) && !isRecord(after)) {
    return normalised(before) === normalised(after) ? [] : [{ field: '', before, after }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((key) => !NOISE.has(key))
    .filter((key) => normalised(b[key]) !== normalised(a[key]))
    .map((key) => ({ field: key, before: b[key] ?? null, after: a[key] ?? null }));
}

export function formatAuditValue(value: unknown, yes: string, no: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? yes : no;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.length ? value.join(', ') : '—';
  }
  return JSON.stringify(value);
}
