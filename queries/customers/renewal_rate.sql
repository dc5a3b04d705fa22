-- title: Renewal rate
-- description: Subscriptions whose term ends (ends_at) in the period and whose renewal is decided:
-- description: renewed ÷ decided. Undecided ones (renewed NULL) are left out and counted alongside.
-- unit: ratio
-- direction: up
-- needs: subscriptions.ends_at, subscriptions.renewed
-- by: product = s.product [subscriptions.product]
-- by: product_type = s.product_type [subscriptions.product_type]
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
LEFT JOIN subscriptions s ON s.ends_at >= p.start_day AND s.ends_at < p.end_day
LEFT JOIN customers c ON c.customer_id = s.customer_id
GROUP BY ALL
