-- title: Tickets over SLA
-- description: Tickets created in the period whose first response came later than $sla_hours, or had not
-- description: come by the period end though $sla_hours had passed. One row per ticket: ticket_id,
-- description: customer, priority, channel, category, created_at (local), response_hours (elapsed; NULL
-- description: while waiting), waiting_hours (elapsed by the period end when still waiting); the
-- description: longest first, at most $limit. A first_response_at blank on every ticket of the export was
-- description: not exported: not available, rather than every ticket listed as waiting. So is a period of
-- description: 10 tickets or more in the whole business with none answered, in an export with answers
-- description: (the export stopped carrying it): that period is one row with only unknown_note, the reason.
-- description: Tickets created after the last ticket with a first response, when 10 or more were over more than
-- description: 7 days, are not listed as waiting.
-- unit: table
-- direction: down
-- needs: tickets.created_at, tickets.first_response_at
-- known: first_response_at of tickets
-- param: sla_hours number = 8 the first-response promise in hours
-- param: limit number = 25 the most tickets listed per period
-- source: report-content.md (weekly: tickets over SLA)
WITH stopped AS (
  -- The export stopped carrying first responses after the last ticket it has one for, when 10
  -- tickets or more (whole business) were created after that one over more than 7 days: a desk
  -- closed for a weekend or a holiday is a backlog; a week without a single answer is the export.
  -- (The answered ticket's created_at, not the answer's own time: a mistyped future answer on an
  -- old ticket does not hide the stop.)
  SELECT a.last_answered AS last_answer,
         coalesce(count(u.ticket_id) FILTER (u.created_at > a.last_answered) >= 10
           AND max(u.created_at) > a.last_answered + INTERVAL 7 DAY, false) AS stopped
  FROM (SELECT max(created_at) FILTER (first_response_at IS NOT NULL) AS last_answered FROM unscoped_tickets) a
  LEFT JOIN unscoped_tickets u ON true
  GROUP BY a.last_answered
),
late AS (
  SELECT p.period_start, p.period_end, t.ticket_id, coalesce(c.name, t.customer_id) AS customer,
         t.priority, t.channel, t.category, strftime(t.created_at, '%Y-%m-%d %H:%M') AS created_at,
         (epoch(t.first_response_at) - epoch(t.created_at)) / 3600.0 AS response_hours,
         CASE WHEN t.first_response_at IS NULL THEN (epoch(p.period_end) - epoch(t.created_at)) / 3600.0 END AS waiting_hours
  FROM periods($start, $end, $grain) p
  JOIN tickets t ON t.created_at >= p.period_start AND t.created_at < p.period_end
  LEFT JOIN customers c ON c.customer_id = t.customer_id
  -- A ticket the export carries no answer for (created after its last one) is not listed as waiting.
  CROSS JOIN stopped s
  WHERE t.first_response_at IS NOT NULL OR NOT (s.stopped AND t.created_at > s.last_answer)
),
-- As SLA attainment decides it: none answered among a period's 10 tickets or more (whole business),
-- in an export with answers, is a column the export stopped carrying, not tickets waiting.
exported AS (
  SELECT p.period_start, p.period_end, count(w.ticket_id) AS tickets,
         (SELECT count(first_response_at) FROM unscoped_tickets) > 0
           AND (count(w.first_response_at) > 0 OR count(w.ticket_id) < 10) AS exported
  FROM periods($start, $end, $grain) p
  LEFT JOIN unscoped_tickets w ON w.created_at >= p.period_start AND w.created_at < p.period_end
  GROUP BY ALL
),
listed AS (
  SELECT l.* FROM late l JOIN exported e ON e.period_start = l.period_start AND e.exported
  WHERE coalesce(l.response_hours, l.waiting_hours) > $sla_hours
  QUALIFY row_number() OVER (PARTITION BY l.period_start ORDER BY coalesce(l.response_hours, l.waiting_hours) DESC, l.ticket_id) <= $limit
)
SELECT * FROM (
  SELECT *, NULL::VARCHAR AS unknown_note FROM listed
  UNION ALL BY NAME
  SELECT period_start, period_end,
         format('first_response_at blank on all {:,} tickets of the period in the export, which has it for other periods', tickets) AS unknown_note
  FROM exported WHERE NOT exported AND tickets > 0
  UNION ALL BY NAME
  -- Tickets of the period the export carries no answer for: said, so the list is not read as all.
  SELECT e.period_start, e.period_end,
         format('first_response_at not in the export for {:,} tickets of the period, created after the last ticket it has a first response for ({})',
                count(*), strftime(any_value(s.last_answer), '%Y-%m-%d %H:%M')) AS unknown_note
  FROM exported e
  JOIN tickets t ON t.created_at >= e.period_start AND t.created_at < e.period_end
  CROSS JOIN stopped s
  WHERE e.exported AND s.stopped AND t.created_at > s.last_answer AND t.first_response_at IS NULL
  GROUP BY e.period_start, e.period_end
)
ORDER BY period_start, coalesce(response_hours, waiting_hours) DESC NULLS LAST, ticket_id
