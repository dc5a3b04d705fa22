-- title: Campaign response rate
-- description: Campaign touches in the period answered with a click, reply or purchase ÷ all campaign touches
-- description: in the period (a touch without a recorded response, or with none/open, did not respond).
-- unit: ratio
-- direction: up
-- needs: campaign_touches.touched_at, campaign_touches.response
-- by: campaign = t.campaign_id [campaign_touches.campaign_id]
-- by: channel = g.channel [campaign_touches.campaign_id, campaigns.channel]
-- source: seed 001
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(t.touched_at) FILTER (t.response IN ('click', 'reply', 'purchase')) AS numerator,
       count(t.touched_at) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN campaign_touches t ON t.touched_at >= p.period_start AND t.touched_at < p.period_end
LEFT JOIN campaigns g ON g.campaign_id = t.campaign_id
GROUP BY ALL
