-- title: Lead velocity rate
-- description: (Leads qualified in the period − leads qualified in the previous period of the same grain)
-- description: ÷ leads qualified in the previous period, by qualified_at whatever the lead's status now.
-- unit: ratio
-- direction: up
-- needs: leads.qualified_at
-- by: source = l.source [leads.source]
-- by: product = l.product [leads.product]
-- by: campaign = l.campaign_id [leads.campaign_id]
-- by: owner = l.owner_id [leads.owner_id]
-- source: seed 002 §5 (lead velocity)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(l.lead_id) FILTER (l.qualified_at >= p.period_start)
         - count(l.lead_id) FILTER (l.qualified_at >= p.prev_start AND l.qualified_at < p.prev_end) AS numerator,
       count(l.lead_id) FILTER (l.qualified_at >= p.prev_start AND l.qualified_at < p.prev_end) AS denominator,
       count(l.lead_id) FILTER (l.qualified_at >= p.period_start) AS qualified,
       count(l.lead_id) FILTER (l.qualified_at >= p.prev_start AND l.qualified_at < p.prev_end) AS previous_qualified
FROM periods($start, $end, $grain) p
LEFT JOIN leads l ON l.qualified_at >= p.prev_start AND l.qualified_at < p.period_end
GROUP BY ALL
