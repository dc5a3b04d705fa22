-- title: Net Promoter Score
-- description: Among the nps answers (0–10) given in the period: % promoters (9–10) − % detractors (0–6),
-- description: from −100 to 100 (Bain / Qualtrics); passives (7–8) count only in the total. NULL without
-- description: answers. Alongside: promoters, passives, detractors and responses.
-- unit: score
-- direction: up
-- needs: surveys.kind, surveys.score, surveys.responded_at
-- by: segment = c.segment [surveys.customer_id, customers.segment]
-- by: region = c.region [surveys.customer_id, customers.region]
-- source: seeds 000, 002, 003 §6; Bain & Company / Qualtrics NPS
SELECT p.period_start, p.period_end, {by} AS breakdown,
       100.0 * (count(s.response_id) FILTER (s.score >= 9) - count(s.response_id) FILTER (s.score <= 6))::DOUBLE
         / nullif(count(s.response_id), 0) AS value,
       count(s.response_id) FILTER (s.score >= 9) AS promoters,
       count(s.response_id) FILTER (s.score BETWEEN 7 AND 8) AS passives,
       count(s.response_id) FILTER (s.score <= 6) AS detractors,
       count(s.response_id) AS responses
FROM periods($start, $end, $grain) p
LEFT JOIN surveys s
  ON s.kind = 'nps' AND s.responded_at >= p.period_start AND s.responded_at < p.period_end
LEFT JOIN customers c ON c.customer_id = s.customer_id
GROUP BY ALL
