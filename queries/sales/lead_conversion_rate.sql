-- title: Lead conversion rate
-- description: Leads created in the period that have converted by the time the report runs (status
-- description: converted) ÷ leads created in the period. A cohort rate: recent periods still rise.
-- unit: ratio
-- direction: up
-- needs: leads.created_at, leads.status
-- by: source = l.source [leads.source]
-- by: product = l.product [leads.product]
-- by: campaign = l.campaign_id [leads.campaign_id]
-- by: owner = l.owner_id [leads.owner_id]
-- source: seeds 003 §4, 002 §1
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(l.lead_id) FILTER (l.status = 'converted') AS numerator,
       count(l.lead_id) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN leads l ON l.created_at >= p.period_start AND l.created_at < p.period_end
GROUP BY ALL
