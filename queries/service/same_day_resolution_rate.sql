-- title: Same-day resolution rate
-- description: Tickets resolved in the period on the calendar day they were created, in the report's time
-- description: zone ÷ tickets resolved in the period. same_day alongside = the cases closed the same day.
-- unit: ratio
-- direction: up
-- needs: tickets.created_at, tickets.resolved_at
-- by: channel = t.channel [tickets.channel]
-- by: category = t.category [tickets.category]
-- by: priority = t.priority [tickets.priority]
-- by: segment = c.segment [tickets.customer_id, customers.segment]
-- by: assignee = t.assignee_id [tickets.assignee_id]
-- source: seed 001 (cases closed the same day)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       -- ::DATE of a TIMESTAMPTZ is the local date: the session time zone is the report's.
       count(t.ticket_id) FILTER (t.resolved_at::DATE = t.created_at::DATE) AS numerator,
       count(t.ticket_id) AS denominator,
       count(t.ticket_id) FILTER (t.resolved_at::DATE = t.created_at::DATE) AS same_day
FROM periods($start, $end, $grain) p
LEFT JOIN tickets t ON t.resolved_at >= p.period_start AND t.resolved_at < p.period_end
LEFT JOIN customers c ON c.customer_id = t.customer_id
GROUP BY ALL
