-- title: Resolution time
-- description: Mean hours from created_at to resolved_at of the tickets resolved in the period (calendar hours,
-- description: not business hours; elapsed time, exact across clock changes). Alongside: median_hours and
-- description: tickets = the tickets resolved in the period.
-- unit: hours
-- direction: down
-- needs: tickets.created_at, tickets.resolved_at
-- by: channel = t.channel [tickets.channel]
-- by: category = t.category [tickets.category]
-- by: priority = t.priority [tickets.priority]
-- by: segment = c.segment [tickets.customer_id, customers.segment]
-- by: assignee = t.assignee_id [tickets.assignee_id]
-- source: seeds 001, 003 §8; Zendesk full resolution time
SELECT p.period_start, p.period_end, {by} AS breakdown,
       -- Elapsed time from epochs: TIMESTAMPTZ subtraction follows the local clock across DST.
       avg((epoch(t.resolved_at) - epoch(t.created_at)) / 3600.0)::DOUBLE AS value,
       median((epoch(t.resolved_at) - epoch(t.created_at)) / 3600.0)::DOUBLE AS median_hours,
       count(t.ticket_id) AS tickets
FROM periods($start, $end, $grain) p
LEFT JOIN tickets t ON t.resolved_at >= p.period_start AND t.resolved_at < p.period_end
LEFT JOIN customers c ON c.customer_id = t.customer_id
GROUP BY ALL
