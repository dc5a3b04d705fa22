// The CRM users: a sales team split by segment, marketing, and a service desk, with some
// turnover during the two years (leavers keep their records; a replacement starts weeks later)
// and a few growth hires.

import { dayOf, END_DAY, HISTORY_SHIFT, isWeekend, WINDOW_START } from './calendar.ts';
import type { Role, Team, User } from './model.ts';
import { distinctPersonNames } from './names.ts';
import type { Rng } from './rng.ts';

const TEAM_OF: Readonly<Record<Role, Team>> = {
  sales_manager: 'sales',
  sdr: 'sales',
  ae_smb: 'sales',
  ae_mid: 'sales',
  ae_enterprise: 'sales',
  account_manager: 'sales',
  marketing_manager: 'marketing',
  marketer: 'marketing',
  service_manager: 'service',
  agent: 'service',
};

const STARTING_HEADCOUNT: Readonly<Record<Role, number>> = {
  sales_manager: 2,
  sdr: 6,
  ae_smb: 6,
  ae_mid: 5,
  ae_enterprise: 3,
  account_manager: 4,
  marketing_manager: 1,
  marketer: 6,
  service_manager: 2,
  agent: 13,
};

/** Roles in which someone leaves during the window and is replaced. */
const LEAVERS: readonly Role[] = ['sdr', 'sdr', 'ae_smb', 'ae_mid', 'agent', 'marketer'];
/** Growth hires: the role and the month they start. */
const HIRES: readonly [Role, string][] = [
  ['ae_enterprise', '2025-03-03'],
  ['account_manager', '2025-06-02'],
  ['agent', '2025-09-01'],
  ['agent', '2026-02-02'],
];

interface Seat {
  readonly role: Role;
  readonly activeFrom: number;
  activeTo: number | null;
}

export function buildUsers(rng: Rng): User[] {
  const seats: Seat[] = [];
  for (const role of Object.keys(STARTING_HEADCOUNT) as Role[]) {
    const senior = role.endsWith('manager');
    for (let i = 0; i < STARTING_HEADCOUNT[role]; i++) {
      // Hired before the funnel starts (earlier when the history is longer).
      const from = senior
        ? rng.int(dayOf('2019-01-01') - HISTORY_SHIFT, dayOf('2021-12-31') - HISTORY_SHIFT)
        : rng.int(dayOf('2020-06-01') - HISTORY_SHIFT, dayOf('2024-06-01') - HISTORY_SHIFT);
      seats.push({ role, activeFrom: from, activeTo: null });
    }
  }
  for (const role of LEAVERS) {
    const seat = rng.pick(seats.filter((s) => s.role === role && s.activeTo === null));
    seat.activeTo = rng.int(WINDOW_START + 60, END_DAY - 90);
    seats.push({ role, activeFrom: seat.activeTo + rng.int(10, 40), activeTo: null });
  }
  for (const [role, from] of HIRES) seats.push({ role, activeFrom: dayOf(from), activeTo: null });

  seats.sort((a, b) => a.activeFrom - b.activeFrom);
  const names = distinctPersonNames(rng, seats.length);
  const lowAdopters = new Set(rng.sample(Array.from(seats.keys()), 3));
  return seats.map((seat, i) => ({
    id: '',
    name: names[i] ?? `User ${i + 1}`,
    team: TEAM_OF[seat.role],
    role: seat.role,
    skill: Math.min(1.35, Math.max(0.7, rng.normal(1, 0.15))),
    adoption: lowAdopters.has(i) ? rng.uniform(0.45, 0.6) : rng.uniform(0.84, 0.97),
    activeFrom: seat.activeFrom,
    activeTo: seat.activeTo,
  }));
}

export function isActiveOn(user: User, day: number): boolean {
  return user.activeFrom <= day && (user.activeTo === null || user.activeTo >= day);
}

/** Who can own a record on a given day. */
export class Staff {
  private readonly byRole = new Map<Role, User[]>();

  constructor(readonly users: readonly User[]) {
    for (const user of users) {
      const list = this.byRole.get(user.role) ?? [];
      list.push(user);
      this.byRole.set(user.role, list);
    }
  }

  /** Users in any of `roles` active on `day`; empty when the seats are vacant. */
  active(roles: readonly Role[], day: number): User[] {
    const found: User[] = [];
    for (const role of roles)
      for (const user of this.byRole.get(role) ?? []) if (isActiveOn(user, day)) found.push(user);
    return found;
  }

  /**
   * A random user in one of `roles` active on `day`. During a vacancy the work goes to the
   * managers of the team; a record always gets an owner.
   */
  pick(rng: Rng, roles: readonly Role[], day: number): User {
    const candidates = this.active(roles, day);
    if (candidates.length > 0) return rng.pick(candidates);
    const team = TEAM_OF[roles[0] ?? 'sales_manager'];
    const managers = this.active(
      [team === 'sales' ? 'sales_manager' : team === 'service' ? 'service_manager' : 'marketing_manager'],
      day,
    );
    if (managers.length > 0) return rng.pick(managers);
    return rng.pick(this.users.filter((u) => roles.includes(u.role)));
  }

  /** The same owner if still employed on `day`, otherwise a colleague in the same role. */
  current(rng: Rng, owner: User, day: number): User {
    return isActiveOn(owner, day) ? owner : this.pick(rng, [owner.role], day);
  }

  /** The two agents on the weekend rota that day (chat and e-mail are answered at weekends). */
  onCall(day: number): User[] {
    if (!isWeekend(day)) return [];
    const agents = this.active(['agent'], day);
    if (agents.length === 0) return [];
    const week = Math.floor((day + 3) / 7);
    const first = agents[(week * 2) % agents.length] as User;
    const second = agents[(week * 2 + 1) % agents.length] as User;
    return first === second ? [first] : [first, second];
  }
}
