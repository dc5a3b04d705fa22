-- title: New leads
-- description: Leads created in the period (benchmark in seed 000: about 500 a month).
-- unit: count
-- direction: up
-- needs: leads.created_at
-- by: source = l.source [leads.source]
-- by: product = l.product [leads.product]
-- by: campaign = l.campaign_id [leads.campaign_id]
-- by: owner = l.owner_id [leads.owner_id]
-- source: seeds 001, 000
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(l.lead_id) AS value
FROM periods($start, $end, $grain) p
LEFT JOIN leads l ON l.created_at >= p.period_start AND l.created_at < p.period_end
GROUP BY ALL
