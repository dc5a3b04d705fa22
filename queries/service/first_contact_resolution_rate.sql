-- title: First contact resolution rate
-- description: Tickets resolved in the period with contacts = 1 and not reopened ÷ tickets resolved in the
-- description: period. A NULL reopened counts as not reopened; a NULL contacts is unknown and counts as not
-- description: resolved on first contact (it stays in the denominator), and says how many are known: contacts
-- description: blank on every resolved ticket is unknown, never 0 %.
-- unit: ratio
-- direction: up
-- needs: tickets.resolved_at, tickets.contacts, tickets.reopened
-- by: channel = t.channel [tickets.channel]
-- by: category = t.category [tickets.category]
-- by: priority = t.priority [tickets.priority]
-- by: segment = c.segment [tickets.customer_id, customers.segment]
-- by: assignee = t.assignee_id [tickets.assignee_id]
-- known: contacts of resolved tickets
-- source: seed 002 §6; Zendesk one-touch resolution
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(t.ticket_id) FILTER (t.contacts = 1 AND NOT coalesce(t.reopened, FALSE)) AS numerator,
       count(t.ticket_id) AS denominator,
       count(t.contacts) AS value_known,
       count(t.ticket_id) AS value_of
FROM periods($start, $end, $grain) p
LEFT JOIN tickets t ON t.resolved_at >= p.period_start AND t.resolved_at < p.period_end
LEFT JOIN customers c ON c.customer_id = t.customer_id
GROUP BY ALL
