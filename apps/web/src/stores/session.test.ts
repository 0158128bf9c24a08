import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-error';
import { useSessionStore } from './session';

const fakeApi = vi.hoisted(() => ({
  getCsrf: vi.fn(),
  login: vi.fn(),
  logout: vi.fn(),
  getMe: vi.fn(),
  setCsrfToken: vi.fn(),
}));
vi.mock('../api/client', () => ({ api: fakeApi }));

const user = { id: 'u1', username: 'sre', displayName: 'Sam SRE', roles: ['sre' as const] };
const authRequired = () => new ApiError(401, 'CG_AUTH_REQUIRED', 'sign in first');

describe('useSessionStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
    let n = 0;
    fakeApi.getCsrf.mockImplementation(async () => ({ csrfToken: `csrf-${++n}` }));
  });

  describe('restore', () => {
    it('finds nobody signed in when the API answers CG_AUTH_REQUIRED', async () => {
      fakeApi.getMe.mockRejectedValue(authRequired());
      const session = useSessionStore();
      await expect(session.restore()).resolves.toBeNull();
      expect(session.restored).toBe(true);
      expect(session.isSignedIn).toBe(false);
    });

    it('takes the user and a session-bound CSRF token', async () => {
      fakeApi.getMe.mockResolvedValue({ user });
      const session = useSessionStore();
      await expect(session.restore()).resolves.toEqual(user);
      expect(session.csrfToken).toBe('csrf-1');
      expect(fakeApi.setCsrfToken).toHaveBeenLastCalledWith('csrf-1');
    });

    it('rejects other failures and asks again next time', async () => {
      fakeApi.getMe.mockRejectedValue(new ApiError(0, 'CG_CLIENT_NETWORK', 'fetch failed'));
      const session = useSessionStore();
      await expect(session.restore()).rejects.toMatchObject({ code: 'CG_CLIENT_NETWORK' });
      expect(session.restored).toBe(false);
    });

    it('shares one request between callers that ask at the same time', async () => {
      fakeApi.getMe.mockResolvedValue({ user });
      const session = useSessionStore();
      await Promise.all([session.restore(), session.restore()]);
      expect(fakeApi.getMe).toHaveBeenCalledTimes(1);
    });
  });

  describe('signIn', () => {
    it('signs in with a fresh CSRF token and keeps the one the login returns', async () => {
      fakeApi.login.mockResolvedValue({ user, csrfToken: 'after-login' });
      const session = useSessionStore();
      await session.signIn({ username: 'sre', password: 'pw' });
      expect(fakeApi.setCsrfToken.mock.calls).toEqual([['csrf-1'], ['after-login']]);
      expect(session.user).toEqual(user);
      expect(session.csrfToken).toBe('after-login');
    });

    it('retries once with a new token when the CSRF token was refused', async () => {
      fakeApi.login
        .mockRejectedValueOnce(new ApiError(403, 'CG_AUTH_CSRF_INVALID', 'bad token'))
        .mockResolvedValueOnce({ user, csrfToken: 'after-login' });
      const session = useSessionStore();
      await session.signIn({ username: 'sre', password: 'pw' });
      expect(fakeApi.getCsrf).toHaveBeenCalledTimes(2);
      expect(fakeApi.login).toHaveBeenCalledTimes(2);
      expect(session.isSignedIn).toBe(true);
    });

    it('passes wrong credentials on to the form without signing in', async () => {
      fakeApi.login.mockRejectedValue(new ApiError(401, 'CG_AUTH_INVALID_CREDENTIALS', 'invalid'));
      const session = useSessionStore();
      await expect(session.signIn({ username: 'sre', password: 'nope' })).rejects.toMatchObject({
        code: 'CG_AUTH_INVALID_CREDENTIALS',
      });
      expect(fakeApi.login).toHaveBeenCalledTimes(1);
      expect(session.isSignedIn).toBe(false);
    });
  });

  describe('signOut', () => {
    it('forgets the user even when the session had already ended', async () => {
      fakeApi.login.mockResolvedValue({ user, csrfToken: 'after-login' });
      fakeApi.logout.mockRejectedValue(authRequired());
      const session = useSessionStore();
      await session.signIn({ username: 'sre', password: 'pw' });
      await session.signOut();
      expect(session.user).toBeNull();
      expect(fakeApi.setCsrfToken).toHaveBeenLastCalledWith(null);
    });

    it('keeps the user when signing out failed for another reason', async () => {
      fakeApi.login.mockResolvedValue({ user, csrfToken: 'after-login' });
      fakeApi.logout.mockRejectedValue(new ApiError(0, 'CG_CLIENT_NETWORK', 'offline'));
      const session = useSessionStore();
      await session.signIn({ username: 'sre', password: 'pw' });
      await expect(session.signOut()).rejects.toMatchObject({ code: 'CG_CLIENT_NETWORK' });
      expect(session.user).toEqual(user);
    });
  });
});
