-- title: Service renewal rate
-- description: Renewal rate of service contracts: subscriptions with product_type = 'service' whose term ends
-- description: (ends_at) in the period and whose renewal is decided: renewed ÷ decided. Undecided ones (renewed
-- description: NULL) are left out and counted alongside.
-- unit: ratio
-- direction: up
-- needs: subscriptions.ends_at, subscriptions.renewed, subscriptions.product_type
-- by: product = s.product [subscriptions.product]
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seeds 001, 002 §4
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(s.subscription_id) FILTER (s.renewed) AS numerator,
       count(s.subscription_id) FILTER (s.renewed IS NOT NULL) AS denominator,
       count(s.subscription_id) FILTER (s.renewed IS NULL) AS undecided
FROM periods($start, $end, $grain) p
LEFT JOIN subscriptions s
  ON s.ends_at >= p.start_day AND s.ends_at < p.end_day AND s.product_type = 'service'
LEFT JOIN customers c ON c.customer_id = s.customer_id
GROUP BY ALL
