-- title: NPS detractors
-- description: The NPS answers of 0–6 given in the period, to follow up: one row per answer with
-- description: response_id, customer, segment, score, responded_at (local) and the ticket it was about;
-- description: the lowest scores first.
-- unit: table
-- direction: down
-- needs: surveys.kind, surveys.score, surveys.responded_at
-- source: seeds 000, 002, report-content.md (weekly: NPS detractors this week)
SELECT p.period_start, p.period_end, s.response_id, coalesce(c.name, s.customer_id) AS customer, c.segment,
       s.score, strftime(s.responded_at, '%Y-%m-%d %H:%M') AS responded_at, s.ticket_id
FROM periods($start, $end, $grain) p
JOIN surveys s ON s.responded_at >= p.period_start AND s.responded_at < p.period_end
  AND s.kind = 'nps' AND s.score <= 6
LEFT JOIN customers c ON c.customer_id = s.customer_id
ORDER BY p.period_start, s.score, s.responded_at, s.response_id
