-- title: Gross revenue retention
-- description: ChartMogul GRR: of the customers with MRR at the period's start (the starting cohort), their
-- description: MRR at the end capped per customer at their starting MRR ÷ their starting MRR; expansion does
-- description: not count, so it never exceeds 1. A subscription is active on day t when started_at <= t <
-- description: coalesce(cancelled_at, ends_at); a customer's MRR is the sum over its active subscriptions, and
-- description: a renewal is a new row starting when the old term ends (no churn at the boundary). New customers
-- description: are not in the cohort. customers = size of the starting cohort.
-- unit: ratio
-- direction: up
-- needs: subscriptions.customer_id, subscriptions.mrr, subscriptions.started_at, subscriptions.ends_at, subscriptions.cancelled_at
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seed 002 (renewal), ChartMogul (gross revenue retention)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(least(m.end_mrr, m.start_mrr)), 0) AS numerator,
       coalesce(sum(m.start_mrr), 0) AS denominator,
       count(m.customer_id) AS customers
FROM periods($start, $end, $grain) p
LEFT JOIN customer_mrr($start, $end, $grain) m ON m.period_start = p.period_start AND m.start_mrr > 0
LEFT JOIN customers c ON c.customer_id = m.customer_id
GROUP BY ALL
