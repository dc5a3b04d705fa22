-- title: Referral leads
-- description: Leads created in the period that a customer referred (referred_by set): client referrals.
-- unit: count
-- direction: up
-- needs: leads.created_at, leads.referred_by
-- by: source = l.source [leads.source]
-- by: product = l.product [leads.product]
-- by: campaign = l.campaign_id [leads.campaign_id]
-- by: owner = l.owner_id [leads.owner_id]
-- source: seeds 001, 000
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(l.lead_id) AS value
FROM periods($start, $end, $grain) p
LEFT JOIN leads l
  ON l.created_at >= p.period_start AND l.created_at < p.period_end AND l.referred_by IS NOT NULL
GROUP BY ALL
