// Whether a KPI's value over no rows is 0: a count (new customers) or a sum with 0 for none
// (`coalesce(sum(amount), 0)`, revenue). For such a KPI, a breakdown value with no row in a
// period the data covers counted or summed nothing: 0, a true number (a rep with no won deal).
// An average, a ratio or a value computed in a CTE is not: with no row it stays unknown.
// Read from DuckDB's own parse of the SQL (json_serialize_sql), never from the text.

import type { Database } from '../data/database.ts';
import type { KpiDefinition } from './definition.ts';

type Node = Readonly<Record<string, unknown>>;

const known = new WeakMap<KpiDefinition, Promise<boolean>>();

export function zeroWhenEmpty(db: Database, kpi: KpiDefinition): Promise<boolean> {
  let answer = known.get(kpi);
  if (!answer) {
    answer = (async () => {
      const parsed = await db.syntaxTrees(kpi.sql.replaceAll('{by}', 'NULL'));
      if ('error' in parsed || parsed.trees.length !== 1) return false;
      const node = (parsed.trees[0] as Node).node as Node | undefined;
      // The outer SELECT aggregates the rows itself (a set operation or a CTE's column is not read).
      if (node?.type !== 'SELECT_NODE' || !Array.isArray(node.select_list)) return false;
      const value = (node.select_list as Node[]).find((item) => item.alias === 'value');
      return value !== undefined && isZeroOverNothing(value);
    })();
    known.set(kpi, answer);
  }
  return answer;
}

/** count(...), coalesce(sum|count(...), 0), CASE WHEN count(...) = 0 THEN 0 ELSE sum(...) END, cast. */
export function isZeroOverNothing(expr: Node): boolean {
  if (expr.type === 'OPERATOR_CAST') return isZeroOverNothing(expr.child as Node);
  if (isAggregate(expr, ['count', 'count_star'])) return true;
  if (expr.type === 'OPERATOR_COALESCE') {
    const [first, second, ...rest] = (expr.children as Node[] | undefined) ?? [];
    return rest.length === 0 && first !== undefined && isAggregate(first, AGGREGATES) && isZero(second);
  }
  if (expr.type === 'CASE_EXPR') {
    const checks = (expr.case_checks as Node[] | undefined) ?? [];
    const [check] = checks;
    if (checks.length !== 1 || !check) return false;
    const when = check.when_expr as Node;
    return (
      when.type === 'COMPARE_EQUAL' &&
      isAggregate(when.left as Node, ['count', 'count_star']) &&
      isZero(when.right as Node) &&
      isZero(check.then_expr as Node) &&
      isAggregate(expr.else_expr as Node, AGGREGATES)
    );
  }
  return false;
}

const AGGREGATES = ['sum', 'count', 'count_star'];

function isAggregate(expr: Node, names: readonly string[]): boolean {
  return expr.type === 'FUNCTION' && names.includes(String(expr.function_name).toLowerCase());
}

function isZero(expr: Node | undefined): boolean {
  if (expr?.type === 'OPERATOR_CAST') return isZero(expr.child as Node);
  const constant = expr?.type === 'VALUE_CONSTANT' ? (expr.value as Node | undefined) : undefined;
  return constant !== undefined && constant.is_null === false && Number(constant.value) === 0;
}
