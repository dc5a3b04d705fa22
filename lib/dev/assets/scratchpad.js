// The SQL scratchpad's client: runs SQL or a KPI through the dev server's JSON API and shows the
// rows, the count, the time and the automatic chart; saves a query as a KPI file. Text goes into
// the page only through textContent and form values; the chart is an <img> of the server's SVG.
(() => {
  const config = JSON.parse(document.getElementById('pulse-sql-config').textContent);
  const $ = (id) => document.getElementById(id);
  // The data's text, with the marks that reverse a run of it shown escaped (as on the report).
  const visible = (text) =>
    String(text).replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  const kpis = new Map(config.kpis.map((k) => [k.id, k]));

  async function call(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok) throw new Error(json.errors ? json.errors.join('\n') : json.error);
    return json;
  }

  function showResult(result) {
    $('result-error').textContent = '';
    const shown = result.rows.length;
    $('result-meta').textContent =
      `${result.rowCount} row${result.rowCount === 1 ? '' : 's'}` +
      (shown < result.rowCount ? `, first ${shown} shown` : '') +
      ` · ${result.ms.toFixed(result.ms < 10 ? 1 : 0)} ms`;
    const chart = $('result-chart');
    chart.replaceChildren();
    if (result.chart) {
      const img = document.createElement('img');
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.chart.svg)}`;
      img.alt = result.chart.alt;
      chart.append(img);
    }
    const head = document.createElement('tr');
    for (const column of result.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = visible(column.name);
      th.title = column.type;
      if (column.numeric) th.className = 'num';
      head.append(th);
    }
    const rows = result.rows.map((row) => {
      const tr = document.createElement('tr');
      for (const column of result.columns) {
        const td = document.createElement('td');
        const value = row[column.name];
        td.textContent = visible(
          value === null ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value),
        );
        if (column.numeric) td.className = 'num';
        tr.append(td);
      }
      return tr;
    });
    $('result-table').querySelector('thead').replaceChildren(head);
    $('result-table')
      .querySelector('tbody')
      .replaceChildren(...rows);
    $('result').hidden = false;
  }

  function showError(error) {
    $('result-meta').textContent = '';
    $('result-chart').replaceChildren();
    $('result-table').querySelector('thead').replaceChildren();
    $('result-table').querySelector('tbody').replaceChildren();
    $('result-error').textContent = visible(error.message);
    $('result').hidden = false;
  }

  async function runSql() {
    $('run').disabled = true;
    try {
      showResult(await call('/api/query', { sql: $('sql').value }));
    } catch (error) {
      showError(error);
    } finally {
      $('run').disabled = false;
    }
  }

  function showKpiControls() {
    const kpi = kpis.get($('kpi').value);
    const by = $('kpi-by');
    const options = [['', 'whole business'], ...(kpi ? kpi.breakdowns.map((b) => [b, b]) : [])];
    by.replaceChildren(
      ...options.map(([value, label]) => {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = visible(label);
        return option;
      }),
    );
    const params = $('kpi-params');
    params.replaceChildren();
    for (const param of kpi ? kpi.params : []) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.name = param.name;
      input.value = param.default === null ? 'null' : String(param.default);
      input.title = param.description;
      label.append(`${param.name} (${param.type}) `, input);
      params.append(label);
    }
  }

  async function runKpi() {
    const params = {};
    for (const input of $('kpi-params').querySelectorAll('input')) params[input.name] = input.value;
    $('run-kpi').disabled = true;
    try {
      showResult(await call('/api/kpi', { id: $('kpi').value, by: $('kpi-by').value, params }));
    } catch (error) {
      showError(error);
    } finally {
      $('run-kpi').disabled = false;
    }
  }

  async function save(event) {
    event.preventDefault();
    const form = new FormData($('save-form'));
    const body = Object.fromEntries(form.entries());
    body.sql = $('sql').value;
    $('save-result').textContent = 'checking…';
    try {
      const saved = await call('/api/kpis', body);
      $('save-result').textContent = `saved ${saved.file}; the preview picks it up.`;
    } catch (error) {
      $('save-result').textContent = error.message;
    }
  }

  $('query-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runSql();
  });
  $('sql').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runSql();
    }
  });
  $('kpi').addEventListener('change', showKpiControls);
  $('run-kpi').addEventListener('click', runKpi);
  $('load-kpi').addEventListener('click', () => {
    const kpi = kpis.get($('kpi').value);
    if (kpi) $('sql').value = kpi.sql;
  });
  $('save-form').addEventListener('submit', save);
  for (const chip of document.querySelectorAll('[data-table]')) {
    chip.addEventListener('click', () => {
      $('sql').value = `SELECT * FROM ${chip.dataset.table} LIMIT 100`;
      $('sql').focus();
    });
  }
  showKpiControls();
})();
