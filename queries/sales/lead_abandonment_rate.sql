-- title: Lead abandonment rate
-- description: Leads created in the period that are now abandoned ÷ leads created in the period
-- description: (a cohort rate, by current status).
-- unit: ratio
-- direction: down
-- needs: leads.created_at, leads.status
-- by: source = l.source [leads.source]
-- by: product = l.product [leads.product]
-- by: campaign = l.campaign_id [leads.campaign_id]
-- by: owner = l.owner_id [leads.owner_id]
-- source: seed 004 (adoption KPIs)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(l.lead_id) FILTER (l.status = 'abandoned') AS numerator,
       count(l.lead_id) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN leads l ON l.created_at >= p.period_start AND l.created_at < p.period_end
GROUP BY ALL
