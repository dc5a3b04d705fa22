-- title: MRR renewal rate
-- description: Renewal rate weighted by MRR: Σ mrr of the subscriptions whose term ends (ends_at) in the period
-- description: and that renewed ÷ Σ mrr of those whose renewal is decided (renewed true or false). Undecided
-- description: ones (renewed NULL) are left out of both and their MRR is shown alongside (undecided_mrr).
-- unit: ratio
-- direction: up
-- needs: subscriptions.mrr, subscriptions.ends_at, subscriptions.renewed
-- by: product = s.product [subscriptions.product]
-- by: product_type = s.product_type [subscriptions.product_type]
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seeds 001, 002 §4
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(s.mrr) FILTER (s.renewed), 0) AS numerator,
       coalesce(sum(s.mrr) FILTER (s.renewed IS NOT NULL), 0) AS denominator,
       coalesce(sum(s.mrr) FILTER (s.renewed IS NULL), 0) AS undecided_mrr
FROM periods($start, $end, $grain) p
LEFT JOIN subscriptions s ON s.ends_at >= p.start_day AND s.ends_at < p.end_day
LEFT JOIN customers c ON c.customer_id = s.customer_id
GROUP BY ALL
