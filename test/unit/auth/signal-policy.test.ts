/**
 * Who may broadcast a signal, and where: a supervisor to his own office only, the administrator to any
 * office or to every office; no one else reads the signal page.
 */
import { decide } from '../../../src/auth/policy';
import type { Principal } from '../../../src/auth/principal';

const person = (over: Partial<Principal>): Principal => ({
  userId: 'u', username: 'u', displayName: 'u', officeId: 'office-a', roles: ['handler'], gridIds: [], visibleGridIds: [], groups: [], ...over,
});

describe('signal broadcast', () => {
  it('a supervisor reaches his own office, not another one, nor every office', () => {
    const supervisor = person({ roles: ['supervisor'] });
    expect(decide(supervisor, 'signal.read')).toBe('allow');
    expect(decide(supervisor, 'signal.broadcast', { officeId: 'office-a' })).toBe('allow');
    expect(decide(supervisor, 'signal.broadcast', { officeId: 'office-b' })).toBe('forbidden');
    expect(decide(supervisor, 'signal.broadcast', { officeId: null })).toBe('forbidden');
  });

  it('the administrator reaches any office or every office; handlers, legal staff and intake none', () => {
    const admin = person({ roles: ['admin'] });
    expect(decide(admin, 'signal.broadcast', { officeId: 'office-b' })).toBe('allow');
    expect(decide(admin, 'signal.broadcast', { officeId: null })).toBe('allow');
    for (const role of ['handler', 'legal', 'intake', 'grid_officer'] as const) {
      expect(decide(person({ roles: [role] }), 'signal.read')).toBe('forbidden');
      expect(decide(person({ roles: [role] }), 'signal.broadcast', { officeId: 'office-a' })).toBe('forbidden');
    }
  });
});
