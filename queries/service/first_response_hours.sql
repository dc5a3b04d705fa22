-- title: First response time
-- description: Mean hours from created_at to first_response_at of the tickets created in the period that have
-- description: a first response (calendar hours, not business hours; elapsed time, exact across clock changes).
-- description: Alongside: median_hours, tickets = the tickets averaged, and waiting = tickets created in the
-- description: period still without a first response (left out of the mean). A first_response_at blank on
-- description: every ticket of the export was not exported: unknown, and no ticket is said to be waiting.
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
SELECT p.period_start, p.period_end, {by} AS breakdown,
       -- Elapsed time from epochs: TIMESTAMPTZ subtraction follows the local clock across DST.
       avg((epoch(t.first_response_at) - epoch(t.created_at)) / 3600.0)::DOUBLE AS value,
       median((epoch(t.first_response_at) - epoch(t.created_at)) / 3600.0)::DOUBLE AS median_hours,
       count(t.first_response_at) AS tickets,
       CASE WHEN (SELECT count(first_response_at) FROM tickets) > 0 THEN count(t.ticket_id) FILTER (t.first_response_at IS NULL) END AS waiting,
       CASE WHEN (SELECT count(first_response_at) FROM tickets) > 0 THEN count(t.ticket_id) ELSE 0 END AS value_known,
       count(t.ticket_id) AS value_of
FROM periods($start, $end, $grain) p
LEFT JOIN tickets t ON t.created_at >= p.period_start AND t.created_at < p.period_end
LEFT JOIN customers c ON c.customer_id = t.customer_id
GROUP BY ALL
