-- title: Repeat purchase rate
-- description: Customers with 2 or more orders ÷ customers with at least one order, over the 12 months
-- description: ending at the period's end. By product: repeat buyers of that product ÷ its buyers.
-- unit: ratio
-- direction: up
-- window: 12 months
-- needs: orders.customer_id, orders.ordered_at
-- by: product = o.product [orders.product]
-- by: segment = c.segment [customers.segment]
-- by: region = c.region [customers.region]
-- by: industry = c.industry [customers.industry]
-- by: channel = c.acquisition_channel [customers.acquisition_channel]
-- by: owner = c.owner_id [customers.owner_id]
-- source: seed 000
SELECT p.period_start, p.period_end, x.breakdown,
       count(x.customer_id) FILTER (x.orders >= 2) AS numerator,
       count(x.customer_id) AS denominator
FROM periods($start, $end, $grain) p
LEFT JOIN (
  SELECT q.period_start, {by} AS breakdown, o.customer_id, count(*) AS orders
  FROM periods($start, $end, $grain) q
  JOIN orders o
    ON o.ordered_at >= (q.end_day - INTERVAL 12 MONTH)::TIMESTAMPTZ AND o.ordered_at < q.period_end
  LEFT JOIN customers c ON c.customer_id = o.customer_id
  GROUP BY ALL
) x ON x.period_start = p.period_start
GROUP BY ALL
