-- title: New customers
-- description: Customers acquired in the period (N): acquired_at on or after the first day and before the end.
-- description: A customer acquired on the period's first day is new in it; one who also churned in it still counts.
-- unit: count
-- direction: up
-- needs: customers.acquired_at
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seed 001
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(c.customer_id) AS value
FROM periods($start, $end, $grain) p
LEFT JOIN customers c
  ON c.acquired_at >= p.start_day AND c.acquired_at < p.end_day
GROUP BY ALL
