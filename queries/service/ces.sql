-- title: Customer effort score (CES)
-- description: Mean score of the ces answers given in the period, on 1–7 where higher = easier. Alongside:
-- description: share_easy = share of those answers scoring 5 or more, and responses. By channel or category:
-- description: those of the ticket a post-case survey is about.
-- unit: score
-- direction: up
-- needs: surveys.kind, surveys.score, surveys.responded_at
-- by: segment = c.segment [surveys.customer_id, customers.segment]
-- by: region = c.region [surveys.customer_id, customers.region]
-- by: channel = t.channel [surveys.ticket_id, tickets.channel]
-- by: category = t.category [surveys.ticket_id, tickets.category]
-- source: seed 002 §3
SELECT p.period_start, p.period_end, {by} AS breakdown,
       avg(s.score)::DOUBLE AS value,
       (count(s.response_id) FILTER (s.score >= 5))::DOUBLE / nullif(count(s.response_id), 0) AS share_easy,
       count(s.response_id) AS responses
FROM periods($start, $end, $grain) p
LEFT JOIN surveys s
  ON s.kind = 'ces' AND s.responded_at >= p.period_start AND s.responded_at < p.period_end
LEFT JOIN customers c ON c.customer_id = s.customer_id
LEFT JOIN tickets t ON t.ticket_id = s.ticket_id
GROUP BY ALL
