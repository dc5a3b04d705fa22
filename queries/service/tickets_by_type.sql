-- title: Tickets by type
-- description: Service calls and requests by type: the tickets created in the period by category and
-- description: channel. One row per period × category × channel: category, channel, tickets, and share = the
-- description: row's tickets ÷ all tickets created in the period; ordered by period, then tickets (most
-- description: first). A NULL category or channel is a ticket without one. A period without tickets gives a
-- description: single row with NULL category and channel, tickets 0 and share NULL.
-- unit: table
-- direction: none
-- needs: tickets.created_at, tickets.category, tickets.channel
-- source: seed 001 (service calls and requests by type)
SELECT p.period_start, p.period_end, t.category, t.channel,
       count(t.ticket_id) AS tickets,
       count(t.ticket_id)::DOUBLE
         / nullif(sum(count(t.ticket_id)) OVER (PARTITION BY p.period_start), 0) AS share
FROM periods($start, $end, $grain) p
LEFT JOIN tickets t ON t.created_at >= p.period_start AND t.created_at < p.period_end
GROUP BY p.period_start, p.period_end, t.category, t.channel
ORDER BY p.period_start, tickets DESC, t.category NULLS LAST, t.channel NULLS LAST
