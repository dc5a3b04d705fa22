-- title: Customer satisfaction (CSAT)
-- description: Share of the csat answers (1–5) given in the period that score 4 or 5: satisfied answers ÷ all
-- description: csat answers. By channel or category: those of the ticket a post-case survey is about.
-- unit: ratio
-- direction: up
-- needs: surveys.kind, surveys.score, surveys.responded_at
-- by: segment = c.segment [surveys.customer_id, customers.segment]
-- by: region = c.region [surveys.customer_id, customers.region]
-- by: channel = t.channel [surveys.ticket_id, tickets.channel]
-- by: category = t.category [surveys.ticket_id, tickets.category]
-- source: seeds 003 §5, 004
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(s.response_id) FILTER (s.score >= 4) AS numerator,
       count(s.response_id) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN surveys s
  ON s.kind = 'csat' AND s.responded_at >= p.period_start AND s.responded_at < p.period_end
LEFT JOIN customers c ON c.customer_id = s.customer_id
LEFT JOIN tickets t ON t.ticket_id = s.ticket_id
GROUP BY ALL
