// What several KPIs mean by the same words, defined once (after the period macros, which the
// table macro calls):
//   customer_active_on(acquired_at, churned_at, day)   a customer is active on `day`: acquired
//     before it and not churned before it
//   subscription_active_on(started_at, cancelled_at, ends_at, day)   a subscription counts on
//     `day`: started by it, not yet cancelled or ended (a renewal is a new row)
//   customer_mrr(s, e, g)   TABLE period_start, customer_id, start_mrr, end_mrr: each customer's
//     MRR (Σ mrr of its subscriptions active on the day) on the period's start_day and end_day,
//     for the customers with a subscription overlapping the period
// The scalar macros expand in place, so a join on one plans as the condition written out.
// Tables are named as a KPI names them: inside a scope they are the scoped views.
export const CUSTOMER_MACROS = `
CREATE OR REPLACE TEMP MACRO customer_active_on(acquired_at, churned_at, on_day) AS
  acquired_at < on_day AND (churned_at IS NULL OR churned_at >= on_day);
CREATE OR REPLACE TEMP MACRO subscription_active_on(started_at, cancelled_at, ends_at, on_day) AS
  started_at <= on_day AND on_day < coalesce(cancelled_at, ends_at);
CREATE OR REPLACE TEMP MACRO customer_mrr(s, e, g) AS TABLE
  SELECT p.period_start, x.customer_id,
    coalesce(sum(x.mrr) FILTER (
      subscription_active_on(x.started_at, x.cancelled_at, x.ends_at, p.start_day)), 0) AS start_mrr,
    coalesce(sum(x.mrr) FILTER (
      subscription_active_on(x.started_at, x.cancelled_at, x.ends_at, p.end_day)), 0) AS end_mrr
  FROM periods(s, e, g) p
  JOIN subscriptions x ON x.started_at <= p.end_day AND coalesce(x.cancelled_at, x.ends_at) > p.start_day
  GROUP BY ALL;
`;
