import { describe, expect, it } from 'vitest';
import { changedFields, formatAuditValue } from './historyDiff';

describe('changedFields', () => {
  it('lists only the fields whose value changed, ignoring bookkeeping columns', () => {
    const before = { name: 'HTX A', phone: null, version: 1, updatedAt: 'x', channels: [{ kind: 'shop' }] };
    const after = { name: 'HTX Á', phone: null, version: 2, updatedAt: 'y', channels: [{ kind: 'shop' }] };
    expect(changedFields(before, after)).toEqual([{ field: 'name', before: 'HTX A', after: 'HTX Á' }]);
  });

  it('leaves out the columns the database derives from the name', () => {
    const after = { name: 'Làng gốm', nameSortKey: 'LXQ abaa', nameSearch: 'lang gom' };
    expect(changedFields(null, after)).toEqual([{ field: 'name', before: null, after: 'Làng gốm' }]);
  });

  it('shows the filled-in fields of a created record', () => {
    expect(changedFields(null, { id: 'x', name: 'Cơm cháy', gtin: null, story: '', standards: [] })).toEqual([
      { field: 'name', before: null, after: 'Cơm cháy' },
    ]);
  });

  it('compares plain values', () => {
    expect(changedFields(true, false)).toEqual([{ field: '', before: true, after: false }]);
    expect(changedFields(null, null)).toEqual([]);
  });
});

describe('formatAuditValue', () => {
  it('renders values for people', () => {
    expect(formatAuditValue(null, 'Có', 'Không')).toBe('—');
    expect(formatAuditValue(true, 'Có', 'Không')).toBe('Có');
    expect(formatAuditValue(['VIETGAP', 'HACCP'], 'Có', 'Không')).toBe('VIETGAP, HACCP');
    expect(formatAuditValue({ kind: 'shop' }, 'Có', 'Không')).toBe('{"kind":"shop"}');
  });
});
