-- title: Active user rate
-- description: Users licensed during the period who logged in at least once in it ÷ users licensed during
-- description: the period (active_from before the period's end or NULL, and active_to NULL or on or after
-- description: its first day; active_to is the licence's last day). Logins of users without a licence in
-- description: the period are not counted.
-- unit: ratio
-- direction: up
-- needs: users.active_from, users.active_to, logins.user_id, logins.logged_in_at
-- by: team = u.team [users.team]
-- source: seed 004 (login and active usage rates)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(u.user_id) FILTER (l.user_id IS NOT NULL) AS numerator,
       count(u.user_id) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN users u
  ON (u.active_from IS NULL OR u.active_from < p.end_day) AND (u.active_to IS NULL OR u.active_to >= p.start_day)
LEFT JOIN (
  SELECT DISTINCT q.period_start, g.user_id
  FROM periods($start, $end, $grain) q
  JOIN logins g ON g.logged_in_at >= q.period_start AND g.logged_in_at < q.period_end
) l ON l.period_start = p.period_start AND l.user_id = u.user_id
GROUP BY ALL
