// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../data/audit';
import { fakeFetch, renderPage } from '../test-utils';
import { HistoryButton } from './HistoryDrawer';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const commune = (code: string, name: string) => ({
  status: 200,
  body: {
    code,
    name,
    divisionType: 'xã',
    provinceCode: '37',
    provinceName: 'Tỉnh Ninh Bình',
    formedFrom: [],
  },
});

const entries: AuditEntry[] = [
  {
    seq: 1,
    at: '2026-11-20T03:00:00.000Z',
    actorLabel: 'tinh@demo.ocop.vn',
    action: 'user.created',
    before: null,
    after: { fullName: 'Cán bộ xã', role: 'commune_officer', provinceCode: '37', communeCode: '14638' },
  },
  {
    seq: 2,
    at: '2026-11-21T03:00:00.000Z',
    actorLabel: 'quantri@demo.ocop.vn',
    action: 'user.updated',
    before: { role: 'commune_officer', provinceCode: '37', communeCode: '14638' },
    after: { role: 'commune_officer', provinceCode: '37', communeCode: '99999' },
  },
];

describe('HistoryButton', () => {
  it('names the communes and provinces the entries hold by code, asking once per code', async () => {
    const server = fakeFetch({
      'GET /api/v1/audit/user/u1': { status: 200, body: { items: entries } },
      'GET /api/v1/admin-units/communes/14638': commune('14638', 'Xã Kim Sơn'),
      'GET /api/v1/admin-units/provinces/37': {
        status: 200,
        body: { code: '37', name: 'Tỉnh Ninh Bình', divisionType: 'tỉnh', communeCount: 129 },
      },
    });
    vi.stubGlobal('fetch', server.fetch);
    await renderPage(<HistoryButton entityType="user" entityId="u1" />);
    // Nothing is fetched until the drawer opens.
    expect(server.calls).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Lịch sử thay đổi' }));

    const [updated, created] = await screen.findAllByRole('listitem');
    await waitFor(() => expect(within(created!).getByText('Xã Kim Sơn (14638)')).toBeTruthy());
    expect(within(created!).getByText('Tỉnh Ninh Bình (37)')).toBeTruthy();
    expect(within(created!).getByText('Cán bộ xã')).toBeTruthy();
    // Before: a known commune; after: a code the API does not know, shown as recorded.
    await waitFor(() => expect(within(updated!).getByText('Xã Kim Sơn (14638)')).toBeTruthy());
    expect(within(updated!).getByText('99999')).toBeTruthy();

    const unitCalls = server.calls.map((c) => c.url).filter((url) => url.includes('/admin-units/'));
    expect(unitCalls.sort()).toEqual([
      '/api/v1/admin-units/communes/14638',
      '/api/v1/admin-units/communes/99999',
      '/api/v1/admin-units/provinces/37',
    ]);
  });
});
