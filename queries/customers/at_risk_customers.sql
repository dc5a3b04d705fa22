-- title: At-risk customers
-- description: Customers active at the period's end with warning signs, ranked by revenue at risk: no order in
-- description: the 90 days to the end from a customer who ordered at least twice in the 9 months before them
-- description: (one who orders yearly, e.g. an annual invoice, is not expected to every quarter), an NPS detractor answer (0–6)
-- description: in those 90 days (the lowest score is shown), 2 or more tickets open at the end (created before
-- description: it, not resolved before it), a subscription term ending within the 60 days from the end's day
-- description: whose renewal is undecided (renewed NULL, started by the end and not cancelled by it; the
-- description: earliest such date is shown). One row per customer with at least one sign: customer_id, name,
-- description: segment, owner_id, mrr (Σ mrr of the subscriptions active at the end), revenue_12m (order
-- description: revenue in the 12 months to the end), revenue_at_risk (12 × mrr, or revenue_12m without MRR),
-- description: signs (how many), reasons (comma-joined text); highest revenue at risk first (then more signs,
-- description: then customer_id), the first `limit` per period.
-- unit: table
-- direction: down
-- needs: customers.acquired_at, customers.churned_at, orders.customer_id, orders.ordered_at, orders.amount, surveys.customer_id, surveys.kind, surveys.score, surveys.responded_at, tickets.customer_id, tickets.created_at, tickets.resolved_at, subscriptions.customer_id, subscriptions.mrr, subscriptions.started_at, subscriptions.ends_at, subscriptions.cancelled_at, subscriptions.renewed
-- param: limit number = 50 customers listed per period, highest revenue at risk first; null = all
-- source: seed 002 (at-risk clients, revenue health)
WITH p AS (
  SELECT *, (end_day - INTERVAL 90 DAY)::DATE AS recent_day, (end_day + INTERVAL 60 DAY)::DATE AS due_by_day,
         (end_day - INTERVAL 12 MONTH)::DATE AS year_start_day
  FROM periods($start, $end, $grain)
),
recent AS (
  SELECT p.period_start, o.customer_id, sum(o.amount) AS revenue_12m,
         count(*) FILTER (o.ordered_at >= p.recent_day::TIMESTAMPTZ) AS orders_90d,
         count(*) FILTER (o.ordered_at < p.recent_day::TIMESTAMPTZ) AS orders_before
  FROM p
  JOIN orders o ON o.ordered_at >= p.year_start_day::TIMESTAMPTZ AND o.ordered_at < p.period_end
  GROUP BY ALL
),
nps AS (
  SELECT p.period_start, s.customer_id, min(s.score) AS score
  FROM p
  JOIN surveys s
    ON s.responded_at >= p.recent_day::TIMESTAMPTZ AND s.responded_at < p.period_end
    AND s.kind = 'nps' AND s.score <= 6
  GROUP BY ALL
),
open_tickets AS (
  SELECT p.period_start, t.customer_id, count(*) AS tickets
  FROM p
  JOIN tickets t
    ON t.created_at < p.period_end AND coalesce(t.resolved_at, 'infinity'::TIMESTAMPTZ) >= p.period_end
  GROUP BY ALL
),
due AS (
  SELECT p.period_start, s.customer_id, min(s.ends_at) AS due_on
  FROM p
  JOIN subscriptions s
    ON s.ends_at >= p.end_day AND s.ends_at < p.due_by_day AND s.started_at <= p.end_day
    AND s.renewed IS NULL AND (s.cancelled_at IS NULL OR s.cancelled_at > p.end_day)
  GROUP BY ALL
),
flags AS (
  SELECT p.period_start, c.customer_id, c.name, c.segment, c.owner_id,
         coalesce(m.end_mrr, 0) AS mrr, coalesce(r.revenue_12m, 0) AS revenue_12m,
         coalesce(r.orders_before, 0) >= 2 AND coalesce(r.orders_90d, 0) = 0 AS no_recent_order,
         r.orders_before,
         n.score AS nps_score, coalesce(t.tickets, 0) AS open_tickets, d.due_on
  FROM p
  JOIN customers c ON customer_active_on(c.acquired_at, c.churned_at, p.end_day)
  LEFT JOIN recent r ON r.period_start = p.period_start AND r.customer_id = c.customer_id
  LEFT JOIN nps n ON n.period_start = p.period_start AND n.customer_id = c.customer_id
  LEFT JOIN open_tickets t ON t.period_start = p.period_start AND t.customer_id = c.customer_id
  LEFT JOIN customer_mrr($start, $end, $grain) m ON m.period_start = p.period_start AND m.customer_id = c.customer_id
  LEFT JOIN due d ON d.period_start = p.period_start AND d.customer_id = c.customer_id
),
scored AS (
  SELECT *,
         coalesce(no_recent_order, false)::INTEGER + (nps_score IS NOT NULL)::INTEGER
           + (open_tickets >= 2)::INTEGER + (due_on IS NOT NULL)::INTEGER AS signs,
         CASE WHEN mrr > 0 THEN 12 * mrr ELSE revenue_12m END AS revenue_at_risk,
         concat_ws(', ',
           CASE WHEN no_recent_order THEN format('no order in 90 days ({} in the 9 months before)', orders_before) END,
           CASE WHEN nps_score IS NOT NULL THEN format('NPS detractor (score {})', nps_score) END,
           CASE WHEN open_tickets >= 2 THEN format('{} open tickets', open_tickets) END,
           CASE WHEN due_on IS NOT NULL THEN format('renewal due {} undecided', strftime(due_on, '%Y-%m-%d')) END
         ) AS reasons
  FROM flags
)
SELECT p.period_start, p.period_end, x.customer_id, x.name, x.segment, x.owner_id, x.mrr, x.revenue_12m,
       x.revenue_at_risk, x.signs, x.reasons
FROM p
JOIN scored x ON x.period_start = p.period_start
WHERE x.signs >= 1
QUALIFY $limit IS NULL
  OR row_number() OVER (PARTITION BY p.period_start ORDER BY x.revenue_at_risk DESC, x.signs DESC, x.customer_id) <= $limit
ORDER BY p.period_start, x.revenue_at_risk DESC, x.signs DESC, x.customer_id
