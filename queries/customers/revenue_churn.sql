-- title: Revenue churn
-- description: Gross MRR churn (ChartMogul): MRR lost from the customers with MRR at the period's start (the
-- description: starting cohort), Σ max(0, start − end) per customer ÷ their starting MRR = 1 − GRR. Expansion
-- description: of other customers does not offset it; new customers do not count. A subscription is active on
-- description: day t when started_at <= t < coalesce(cancelled_at, ends_at); a renewal is a new row.
-- description: Alongside: churned_mrr (starting MRR of customers at 0 MRR at the end), contraction_mrr (the
-- description: loss of those who still have MRR; churned_mrr + contraction_mrr = numerator) and customers.
-- unit: ratio
-- direction: down
-- needs: subscriptions.customer_id, subscriptions.mrr, subscriptions.started_at, subscriptions.ends_at, subscriptions.cancelled_at
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seed 002 (renewal), ChartMogul (revenue churn)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       coalesce(sum(greatest(m.start_mrr - m.end_mrr, 0)), 0) AS numerator,
       coalesce(sum(m.start_mrr), 0) AS denominator,
       coalesce(sum(m.start_mrr) FILTER (m.end_mrr = 0), 0) AS churned_mrr,
       coalesce(sum(m.start_mrr - m.end_mrr) FILTER (m.end_mrr > 0 AND m.end_mrr < m.start_mrr), 0) AS contraction_mrr,
       count(m.customer_id) AS customers
FROM periods($start, $end, $grain) p
LEFT JOIN customer_mrr($start, $end, $grain) m ON m.period_start = p.period_start AND m.start_mrr > 0
LEFT JOIN customers c ON c.customer_id = m.customer_id
GROUP BY ALL
