// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../auth';
import { craftVillage } from '../test-fixtures';
import { fakeFetch, renderPage, testUser } from '../test-utils';
import { CraftVillageDetailPage } from './CraftVillageDetailPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function server() {
  const fake = fakeFetch({
    [`GET /api/v1/craft-villages/${craftVillage.id}`]: { status: 200, body: craftVillage },
    [`POST /api/v1/craft-villages/${craftVillage.id}/archive`]: {
      status: 200,
      body: { ...craftVillage, archivedAt: '2026-11-20T03:00:00.000Z', version: craftVillage.version + 1 },
    },
    [`GET /api/v1/audit/craft_village/${craftVillage.id}`]: { status: 200, body: { items: [] } },
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user: User) =>
  renderPage(<CraftVillageDetailPage />, {
    path: `/craft-villages/${craftVillage.id}`,
    route: '/craft-villages/:id',
    user,
  });

describe('CraftVillageDetailPage', () => {
  it('shows the village and archives it with the version it shows', async () => {
    const fake = server();
    await open(testUser);
    await screen.findByRole('heading', { name: craftVillage.name });
    expect(screen.getByText('Phường Duy Tiên, Tỉnh Ninh Bình')).toBeTruthy();
    expect(screen.getByText('2009')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Sửa' }).getAttribute('href')).toBe(
      `/craft-villages/${craftVillage.id}/edit`,
    );
    expect(screen.queryByRole('button', { name: 'Lịch sử thay đổi' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Lưu trữ' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    await screen.findByText('Làng nghề này đã được lưu trữ.', { exact: false });
    expect(fake.calls.find((c) => c.url.endsWith('/archive'))?.body).toEqual({
      version: craftVillage.version,
    });
    expect(screen.getByRole('button', { name: 'Khôi phục' })).toBeTruthy();
  });

  it('offers changes only to the officers of its area, and history to administrators', async () => {
    server();
    const cases: [User, boolean][] = [
      [{ ...testUser, role: 'producer', provinceCode: null }, false],
      [{ ...testUser, provinceCode: '01' }, false],
      [{ ...testUser, role: 'commune_officer', communeCode: '14638' }, false],
      [{ ...testUser, role: 'commune_officer', communeCode: craftVillage.commune.code }, true],
    ];
    for (const [user, mayWrite] of cases) {
      const view = await open(user);
      await screen.findByRole('heading', { name: craftVillage.name });
      expect({ role: user.role, edit: screen.queryByRole('link', { name: 'Sửa' }) !== null }).toEqual({
        role: user.role,
        edit: mayWrite,
      });
      expect(screen.queryByRole('button', { name: 'Lưu trữ' }) !== null).toBe(mayWrite);
      view.unmount();
    }
    await open({ ...testUser, role: 'system_admin', provinceCode: null });
    expect(await screen.findByRole('button', { name: 'Lịch sử thay đổi' })).toBeTruthy();
  });
});
