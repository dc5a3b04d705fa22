-- title: Churned customers
-- description: Customers active at the start of the period (S) whose churned_at (last day) falls in the period.
-- description: Customers who joined and churned within the period are not counted (logo churn).
-- unit: count
-- direction: down
-- needs: customers.acquired_at, customers.churned_at
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
  ON c.acquired_at < p.start_day AND c.churned_at >= p.start_day AND c.churned_at < p.end_day
GROUP BY ALL
