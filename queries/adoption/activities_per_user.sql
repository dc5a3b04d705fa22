-- title: Activities per user
-- description: Activities (calls, e-mails, meetings, notes) logged in the period ÷ users licensed during the
-- description: period (active_from before the period's end or NULL, and active_to NULL or on or after its
-- description: first day). By team: the team's activities ÷ the team's licensed users. By kind: that kind's
-- description: activities ÷ all licensed users, one row for every kind.
-- unit: count
-- direction: up
-- needs: activities.user_id, activities.kind, activities.occurred_at, users.active_from, users.active_to
-- by: team = u.team [users.team]
-- by: kind = a.kind
-- source: seed 004 (key record creation)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(a.user_id) FILTER (a.is_activity) AS numerator,
       count(DISTINCT a.user_id) FILTER (NOT a.is_activity) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN (
  -- The activities of each period.
  SELECT q.period_start, x.kind, x.user_id, TRUE AS is_activity
  FROM periods($start, $end, $grain) q
  JOIN activities x ON x.occurred_at >= q.period_start AND x.occurred_at < q.period_end
  UNION ALL
  -- The users licensed during each period, once per activity kind, so that a row of the kind
  -- breakdown still divides by every licensed user (the denominator counts distinct users).
  SELECT q.period_start, k.kind, v.user_id, FALSE AS is_activity
  FROM periods($start, $end, $grain) q
  JOIN users v
    ON (v.active_from IS NULL OR v.active_from < q.end_day) AND (v.active_to IS NULL OR v.active_to >= q.start_day)
  CROSS JOIN (SELECT unnest(['call', 'email', 'meeting', 'note']) AS kind UNION SELECT kind FROM activities) k
) a ON a.period_start = p.period_start
LEFT JOIN users u ON u.user_id = a.user_id
GROUP BY ALL
