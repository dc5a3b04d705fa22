-- title: Tickets over SLA
-- description: Tickets created in the period whose first response came later than $sla_hours, or had not
-- description: come by the period end though $sla_hours had passed. One row per ticket: ticket_id,
-- description: customer, priority, channel, category, created_at (local), response_hours (elapsed; NULL
-- description: while waiting), waiting_hours (elapsed by the period end when still waiting); the
-- description: longest first, at most $limit. A first_response_at blank on every ticket of the export was
-- description: not exported: not available, rather than every ticket listed as waiting.
-- unit: table
-- direction: down
-- needs: tickets.created_at, tickets.first_response_at
-- known: first_response_at of tickets
-- param: sla_hours number = 8 the first-response promise in hours
-- param: limit number = 25 the most tickets listed per period
-- source: report-content.md (weekly: tickets over SLA)
WITH late AS (
  SELECT p.period_start, p.period_end, t.ticket_id, coalesce(c.name, t.customer_id) AS customer,
         t.priority, t.channel, t.category, strftime(t.created_at, '%Y-%m-%d %H:%M') AS created_at,
         (epoch(t.first_response_at) - epoch(t.created_at)) / 3600.0 AS response_hours,
         CASE WHEN t.first_response_at IS NULL THEN (epoch(p.period_end) - epoch(t.created_at)) / 3600.0 END AS waiting_hours
  FROM periods($start, $end, $grain) p
  JOIN tickets t ON t.created_at >= p.period_start AND t.created_at < p.period_end
  LEFT JOIN customers c ON c.customer_id = t.customer_id
)
SELECT * FROM late
WHERE coalesce(response_hours, waiting_hours) > $sla_hours
QUALIFY row_number() OVER (PARTITION BY period_start ORDER BY coalesce(response_hours, waiting_hours) DESC, ticket_id) <= $limit
ORDER BY period_start, coalesce(response_hours, waiting_hours) DESC, ticket_id
