// CRM sessions: most users open the CRM on most working days, a few rarely do (the
// adoption KPI should find them), and the weekend rota of the service desk logs in on
// Saturdays and Sundays. Low adopters also drop out for whole months (holidays, a project
// elsewhere, a CRM they gave up on), so the active-user rate has something to find.

import { END_DAY, instantOf, isWeekend, monthStart, WINDOW_START } from './calendar.ts';
import type { Login } from './model.ts';
import type { Rng } from './rng.ts';
import type { Staff } from './users.ts';

export function buildLogins(rng: Rng, staff: Staff): Login[] {
  const logins: Login[] = [];
  for (const user of staff.users) {
    const from = Math.max(WINDOW_START, user.activeFrom);
    const to = Math.min(END_DAY, user.activeTo ?? END_DAY);
    const dormantChance = user.adoption < 0.7 ? 0.3 : 0.02;
    const dormant = new Set<number>();
    for (let month = monthStart(from); month <= to; month = monthStart(month, 1)) {
      if (rng.chance(dormantChance)) dormant.add(month);
    }
    for (let day = from; day <= to; day++) {
      if (dormant.has(monthStart(day))) continue;
      const onRota = staff.onCall(day).includes(user);
      const chance = isWeekend(day) ? (onRota ? 0.97 : 0.03) : user.adoption;
      if (!rng.chance(chance)) continue;
      // The first session of the day around the start of work, later ones spread out.
      let hour = Math.max(6, rng.normal(8.6, 0.8));
      for (let session = 1 + rng.poisson(0.6); session > 0 && hour < 23; session--) {
        logins.push({ user, loggedInAt: instantOf(day, hour) + rng.int(0, 59) });
        hour += rng.uniform(1.5, 5);
      }
    }
  }
  return logins;
}
