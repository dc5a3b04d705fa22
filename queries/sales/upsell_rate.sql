-- title: Upsell rate
-- description: Customers active at the start of the period (S) with a won upsell or cross_sell deal closed in
-- description: the period ÷ S. Customers acquired during the period are in neither count. Alongside: deals =
-- description: the number of those customers' won upsell/cross-sell deals.
-- unit: ratio
-- direction: up
-- needs: customers.acquired_at, customers.churned_at, opportunities.customer_id, opportunities.kind, opportunities.status, opportunities.closed_at
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seed 002 §2
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(DISTINCT c.customer_id) FILTER (o.opportunity_id IS NOT NULL) AS numerator,
       count(DISTINCT c.customer_id) AS denominator,
       count(o.opportunity_id) AS deals
FROM periods($start, $end, $grain) p
LEFT JOIN customers c
  ON customer_active_on(c.acquired_at, c.churned_at, p.start_day)
LEFT JOIN opportunities o
  ON o.customer_id = c.customer_id AND o.status = 'won' AND o.kind IN ('upsell', 'cross_sell')
  AND o.closed_at >= p.period_start AND o.closed_at < p.period_end
GROUP BY ALL
