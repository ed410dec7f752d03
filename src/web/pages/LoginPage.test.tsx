// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LANGUAGE_STORAGE_KEY } from '../i18n';
import { fakeFetch, renderPage } from '../test-utils';
import { LoginPage } from './LoginPage';

const unauthenticated = {
  status: 401,
  body: { error: { code: 'UNAUTHENTICATED', message: 'Vui lòng đăng nhập.' } },
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('LoginPage', () => {
  it('shows the API field messages next to their inputs', async () => {
    const server = fakeFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/login': {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION',
            message: 'Dữ liệu không hợp lệ.',
            fields: { email: 'Email không hợp lệ.' },
          },
        },
      },
    });
    vi.stubGlobal('fetch', server.fetch);
    await renderPage(<LoginPage />, { path: '/login' });

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'khong-phai-email' } });
    fireEvent.change(screen.getByLabelText('Mật khẩu'), { target: { value: 'Matkhau12345' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));

    const message = await screen.findByText('Email không hợp lệ.');
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toContain(message.id);
    expect(screen.getByRole('alert').textContent).toContain('Dữ liệu không hợp lệ.');
    expect(screen.getByLabelText('Mật khẩu').getAttribute('aria-invalid')).not.toBe('true');

    const login = server.calls.find((c) => c.method === 'POST');
    expect(login?.headers['Accept-Language']).toBe('vi');
    expect(login?.body).toEqual({ email: 'khong-phai-email', password: 'Matkhau12345' });

    // Editing the field clears its message.
    fireEvent.change(email, { target: { value: 'a@b.vn' } });
    await waitFor(() => expect(screen.queryByText('Email không hợp lệ.')).toBeNull());
  });

  it('checks blank fields before calling the API', async () => {
    const server = fakeFetch({ 'GET /api/v1/auth/me': unauthenticated });
    vi.stubGlobal('fetch', server.fetch);
    await renderPage(<LoginPage />, { path: '/login' });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(await screen.findAllByText('Không được để trống.')).toHaveLength(2);
    expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('switches to English, sets <html lang> and remembers the choice', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'GET /api/v1/auth/me': unauthenticated }).fetch);
    await renderPage(<LoginPage />, { path: '/login' });
    expect(screen.getByRole('heading', { name: 'Đăng nhập' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('vi');

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'English' }));
    });

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Tiếng Việt' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
  });

  it('sends Accept-Language: en once English is chosen', async () => {
    const server = fakeFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/login': {
        status: 401,
        body: { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong e-mail or password.' } },
      },
    });
    vi.stubGlobal('fetch', server.fetch);
    await renderPage(<LoginPage />, { path: '/login' });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'English' }));
    });
    // English texts are fetched on first use.
    await screen.findByRole('button', { name: 'Log in' });
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'a@b.vn' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong-password-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText('Wrong e-mail or password.')).toBeTruthy();
    expect(server.calls.find((c) => c.method === 'POST')?.headers['Accept-Language']).toBe('en');
  });
});
