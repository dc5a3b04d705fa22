-- title: Churn rate
-- description: Logo churn: customers active at the start (S) whose churned_at falls in the period ÷ S.
-- description: Customers who joined and churned within the period are in neither count.
-- unit: ratio
-- direction: down
-- needs: customers.acquired_at, customers.churned_at
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seeds 000, 002 (churn)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(c.customer_id) FILTER (c.churned_at < p.end_day) AS numerator,
       count(c.customer_id) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN customers c
  ON customer_active_on(c.acquired_at, c.churned_at, p.start_day)
GROUP BY ALL
