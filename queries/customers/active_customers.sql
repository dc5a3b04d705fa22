-- title: Active customers
-- description: Customers active at the end of the period (E): acquired_at before the end's day and
-- description: churned_at NULL or on/after it (churned_at is the last day as a customer).
-- unit: count
-- direction: up
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
  ON customer_active_on(c.acquired_at, c.churned_at, p.end_day)
GROUP BY ALL
