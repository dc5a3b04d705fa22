-- title: Net revenue retention
-- description: ChartMogul NRR: of the customers with MRR at the period's start (the starting cohort), their
-- description: MRR at the end ÷ their starting MRR. Expansion counts (so it can exceed 1), contraction and
-- description: churn reduce it, customers without MRR at the start (new or returning) do not count. A
-- description: subscription is active on day t when started_at <= t < coalesce(cancelled_at, ends_at); a
-- description: renewal is a new row. Alongside: customers (starting cohort), expansion_mrr (Σ end − start over
-- description: customers who grew), contraction_mrr (Σ start − end over those who shrank but kept MRR) and
-- description: churned_mrr (starting MRR of those at 0 at the end).
-- unit: ratio
-- direction: up
-- needs: subscriptions.customer_id, subscriptions.mrr, subscriptions.started_at, subscriptions.ends_at, subscriptions.cancelled_at
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seed 002 (renewal), ChartMogul (net revenue retention)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(m.end_mrr), 0) AS numerator,
       coalesce(sum(m.start_mrr), 0) AS denominator,
       count(m.customer_id) AS customers,
       coalesce(sum(m.end_mrr - m.start_mrr) FILTER (m.end_mrr > m.start_mrr), 0) AS expansion_mrr,
       coalesce(sum(m.start_mrr - m.end_mrr) FILTER (m.end_mrr > 0 AND m.end_mrr < m.start_mrr), 0) AS contraction_mrr,
       coalesce(sum(m.start_mrr) FILTER (m.end_mrr = 0), 0) AS churned_mrr
FROM periods($start, $end, $grain) p
LEFT JOIN customer_mrr($start, $end, $grain) m ON m.period_start = p.period_start AND m.start_mrr > 0
LEFT JOIN customers c ON c.customer_id = m.customer_id
GROUP BY ALL
