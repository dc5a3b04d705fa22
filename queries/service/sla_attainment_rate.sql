-- title: First response within SLA
-- description: Tickets created in the period answered within $sla_hours (elapsed hours from created_at to
-- description: first_response_at) ÷ tickets created in the period whose SLA is decided by the period end:
-- description: answered, or waiting longer than $sla_hours. The breaches (late answers and tickets still
-- description: waiting past the SLA) alongside. A first_response_at blank on every ticket of the export, or
-- description: on every ticket of a period with 10 or more in the whole business (the export stopped
-- description: carrying it), was not exported (tickets are answered): unknown, never 0 %, and no breach
-- description: is counted. So are the tickets created after the last ticket with a first response, when 10 or
-- description: more were, over more than 7 days: the rate is of the others, marked as known for only part.
-- unit: ratio
-- direction: up
-- needs: tickets.created_at, tickets.first_response_at
-- param: sla_hours number = 8 the first-response promise in hours
-- by: channel = t.channel [tickets.channel]
-- by: priority = t.priority [tickets.priority]
-- by: category = t.category [tickets.category]
-- known: first_response_at of tickets
-- source: seeds 003 §7, report-content.md (weekly: tickets over SLA)
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
counted AS (
  SELECT p.period_start, p.period_end, {by} AS breakdown,
         count(*) FILTER (known AND t.first_response_at IS NOT NULL
           AND epoch(t.first_response_at) - epoch(t.created_at) <= $sla_hours * 3600) AS in_time,
         count(*) FILTER (t.first_response_at IS NOT NULL
           OR epoch(p.period_end) - epoch(t.created_at) > $sla_hours * 3600) AS decided,
         count(*) FILTER (known AND (t.first_response_at IS NOT NULL
           OR epoch(p.period_end) - epoch(t.created_at) > $sla_hours * 3600)) AS decided_known,
         count(*) FILTER (known AND ((t.first_response_at IS NOT NULL AND epoch(t.first_response_at) - epoch(t.created_at) > $sla_hours * 3600)
           OR (t.first_response_at IS NULL AND epoch(p.period_end) - epoch(t.created_at) > $sla_hours * 3600))) AS late
  FROM periods($start, $end, $grain) p
  LEFT JOIN (
    SELECT t.*, NOT (s.stopped AND t.created_at > s.last_answer) AS known FROM tickets t, stopped s
  ) t ON t.created_at >= p.period_start AND t.created_at < p.period_end
  GROUP BY ALL
),
-- None answered among a period's 10 tickets or more, in an export with answers, is a column the
-- export stopped carrying. Counted over the whole business (unscoped_tickets, the same table
-- unless the report is scoped): one channel's or one region's backlog is a backlog.
exported AS (
  SELECT p.period_start,
         (SELECT count(first_response_at) FROM unscoped_tickets) > 0
           AND (count(w.first_response_at) > 0 OR count(w.ticket_id) < 10) AS exported
  FROM periods($start, $end, $grain) p
  LEFT JOIN unscoped_tickets w ON w.created_at >= p.period_start AND w.created_at < p.period_end
  GROUP BY ALL
)
SELECT c.period_start, c.period_end, c.breakdown,
       CASE WHEN e.exported AND c.decided_known > 0 THEN c.in_time END AS numerator,
       CASE WHEN e.exported THEN c.decided_known ELSE c.decided END AS denominator,
       CASE WHEN e.exported AND (c.decided_known > 0 OR c.decided = 0) THEN c.late END AS breaches,
       CASE WHEN e.exported THEN c.decided_known ELSE 0 END AS value_known,
       c.decided AS value_of
FROM counted c
JOIN exported e ON e.period_start = c.period_start
