-- title: First response time
-- description: Mean hours from created_at to first_response_at of the tickets created in the period that have
-- description: a first response (calendar hours, not business hours; elapsed time, exact across clock changes).
-- description: Alongside: median_hours, tickets = the tickets averaged, and waiting = tickets created in the
-- description: period still without a first response (left out of the mean). A first_response_at blank on
-- description: every ticket of the export, or on every ticket of a period with 10 or more in the whole
-- description: business (the export stopped carrying it), was not exported: unknown, and no ticket is said
-- description: to be waiting; nor is a ticket created after the last ticket with a first response, when 10 or more
-- description: were, over more than 7 days (the mean is then marked as known for only part).
-- unit: hours
-- direction: down
-- needs: tickets.created_at, tickets.first_response_at
-- by: channel = t.channel [tickets.channel]
-- by: category = t.category [tickets.category]
-- by: priority = t.priority [tickets.priority]
-- by: segment = c.segment [tickets.customer_id, customers.segment]
-- by: assignee = t.assignee_id [tickets.assignee_id]
-- known: first_response_at of tickets
-- source: seed 003 §7; Zendesk first reply time
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
         -- Elapsed time from epochs: TIMESTAMPTZ subtraction follows the local clock across DST.
         avg((epoch(t.first_response_at) - epoch(t.created_at)) / 3600.0)::DOUBLE AS mean_hours,
         median((epoch(t.first_response_at) - epoch(t.created_at)) / 3600.0)::DOUBLE AS median_hours,
         count(t.first_response_at) AS tickets,
         count(t.ticket_id) FILTER (t.first_response_at IS NULL AND known) AS unanswered,
         count(t.ticket_id) FILTER (known) AS created_known,
         count(t.ticket_id) AS created
  FROM periods($start, $end, $grain) p
  LEFT JOIN (
    SELECT t.*, NOT (s.stopped AND t.created_at > s.last_answer) AS known FROM tickets t, stopped s
  ) t ON t.created_at >= p.period_start AND t.created_at < p.period_end
  LEFT JOIN customers c ON c.customer_id = t.customer_id
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
SELECT k.period_start, k.period_end, k.breakdown, k.mean_hours AS value, k.median_hours, k.tickets,
       CASE WHEN e.exported AND (k.created_known > 0 OR k.created = 0) THEN k.unanswered END AS waiting,
       CASE WHEN e.exported THEN k.created_known ELSE 0 END AS value_known,
       k.created AS value_of
FROM counted k
JOIN exported e ON e.period_start = k.period_start
