-- title: Data completeness
-- description: Customers whose email, phone, segment, industry and owner_id are all filled in (blank text
-- description: counts as missing) and whose e-mail is plausible (something@domain.tld) ÷ customers acquired
-- description: before the period's end, active or churned (a churned account's record counts too).
-- description: Alongside, the share of those customers with each field: email_rate, phone_rate, segment_rate,
-- description: industry_rate, owner_rate, and valid_email_rate (a plausible e-mail).
-- unit: ratio
-- direction: up
-- needs: customers.acquired_at, customers.email, customers.phone, customers.segment, customers.industry, customers.owner_id
-- by: owner = c.owner_id
-- by: region = c.region [customers.region]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- source: seeds 000 (data quality), 004 (clean records)
SELECT p.period_start, p.period_end, {by} AS breakdown,
       count(c.customer_id) FILTER (
         c.has_email AND c.has_phone AND c.has_segment AND c.has_industry AND c.has_owner AND c.valid_email
       ) AS numerator,
       count(c.customer_id) AS denominator,
       count(c.customer_id) FILTER (c.has_email)::DOUBLE / nullif(count(c.customer_id), 0) AS email_rate,
       count(c.customer_id) FILTER (c.has_phone)::DOUBLE / nullif(count(c.customer_id), 0) AS phone_rate,
       count(c.customer_id) FILTER (c.has_segment)::DOUBLE / nullif(count(c.customer_id), 0) AS segment_rate,
       count(c.customer_id) FILTER (c.has_industry)::DOUBLE / nullif(count(c.customer_id), 0) AS industry_rate,
       count(c.customer_id) FILTER (c.has_owner)::DOUBLE / nullif(count(c.customer_id), 0) AS owner_rate,
       count(c.customer_id) FILTER (c.valid_email)::DOUBLE / nullif(count(c.customer_id), 0) AS valid_email_rate
FROM periods($start, $end, $grain) p
LEFT JOIN (
  SELECT k.*,
         nullif(trim(k.email), '') IS NOT NULL AS has_email,
         nullif(trim(k.phone), '') IS NOT NULL AS has_phone,
         nullif(trim(k.segment), '') IS NOT NULL AS has_segment,
         nullif(trim(k.industry), '') IS NOT NULL AS has_industry,
         nullif(trim(k.owner_id), '') IS NOT NULL AS has_owner,
         coalesce(regexp_full_match(k.email, '[^@\s]+@[^@\s]+\.[^@\s]+'), FALSE) AS valid_email
  FROM customers k
) c ON c.acquired_at < p.end_day
GROUP BY ALL
