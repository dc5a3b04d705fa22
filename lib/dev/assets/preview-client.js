// The live preview's client, injected into the report page by `pulse dev`. It listens to the
// server's events, swaps in each new render in place (scroll position kept), shows errors in an
// overlay above the last good render, and holds the preview controls. Text goes into the page
// only through textContent and form values, never as markup.
(() => {
  const config = JSON.parse(document.getElementById('pulse-dev-config').textContent);
  // The data's text, with the marks that reverse a run of it shown escaped (as on the report).
  const visible = (text) =>
    String(text).replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  let shown = config.version;
  let session = config.session;
  let refreshing = false;
  let wanted = shown;
  let dismissed = '';
  let lastLists = '';
  let lastParams = '';

  const host = document.createElement('pulse-dev');
  host.setAttribute('data-pulse-dev', '');
  host.dataset.version = String(shown);
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>
    :host { all: initial; }
    .bar { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483646; display: flex; flex-wrap: wrap;
      gap: .5rem 1rem; align-items: center; padding: .45rem .9rem; background: #1f2933; color: #f5f7fa;
      font: 13px/1.3 system-ui, sans-serif; box-shadow: 0 -2px 8px rgb(0 0 0 / .25); }
    .bar strong { color: #8fb8d8; }
    .bar a { color: #cfe3f3; }
    label { display: inline-flex; gap: .35rem; align-items: center; }
    select, input, button { font: inherit; padding: .15rem .35rem; border-radius: 3px; border: 1px solid #52606d; }
    input { width: 8rem; }
    button { cursor: pointer; background: #e6e9ed; }
    #params { display: inline-flex; gap: .5rem; flex-wrap: wrap; }
    #state { margin-left: auto; color: #c8ced6; }
    #state.bad { color: #ffb38a; font-weight: 600; }
    .overlay { position: fixed; inset: 0 0 2.6rem 0; z-index: 2147483645; background: rgb(31 41 51 / .55);
      display: flex; align-items: flex-start; justify-content: center; padding: 6vh 1rem; overflow: auto; }
    .overlay[hidden] { display: none; }
    .box { max-width: 56rem; width: 100%; background: #fff; color: #1f2933; border-top: 6px solid #d55e00;
      border-radius: 4px; padding: 1rem 1.25rem; font: 14px/1.45 system-ui, sans-serif;
      box-shadow: 0 8px 30px rgb(0 0 0 / .35); }
    h2 { margin: 0 0 .25rem; font-size: 1.15rem; color: #b34700; }
    .where { margin: 0 0 .75rem; font: 600 14px ui-monospace, monospace; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.45 ui-monospace, monospace;
      background: #f5f7fa; padding: .75rem; border-radius: 3px; margin: 0 0 .75rem; }
    pre:empty { display: none; }
    .note { color: #52606d; margin: 0 0 .5rem; }
  </style>
  <div class="overlay" id="overlay" role="alertdialog" aria-modal="false" aria-labelledby="overlay-title" hidden>
    <div class="box">
      <h2 id="overlay-title"></h2>
      <p class="where" id="overlay-location"></p>
      <pre id="overlay-message"></pre>
      <pre id="overlay-stack"></pre>
      <p class="note">The last good render stays underneath. Save a fix and the page updates by itself.</p>
      <button type="button" id="overlay-close">Hide</button>
    </div>
  </div>
  <form class="bar" id="bar">
    <strong>pulse dev</strong>
    <label>Report <select id="report"></select></label>
    <label>Period <select id="period"></select></label>
    <span id="params"></span>
    <button type="button" id="add-param" title="Add a report parameter">+ param</button>
    <button type="submit" id="apply">Apply</button>
    <a href="/index">Reports and KPIs</a>
    <a href="/sql">SQL scratchpad</a>
    <span id="state" role="status"></span>
  </form>`;
  document.body.appendChild(host);
  document.body.style.paddingBottom = '3.5rem';
  const $ = (id) => root.getElementById(id);

  async function post(settings) {
    $('state').textContent = 'running…';
    const response = await fetch('/api/settings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({ error: response.statusText }));
      $('state').textContent = visible(body.error);
      $('state').className = 'bad';
    }
  }

  function paramRow(name, value) {
    const row = document.createElement('span');
    const key = document.createElement('input');
    key.placeholder = 'name';
    key.value = name;
    key.className = 'param-name';
    key.setAttribute('aria-label', 'parameter name');
    const input = document.createElement('input');
    input.placeholder = 'value';
    input.value = value;
    input.className = 'param-value';
    input.setAttribute('aria-label', name ? `parameter ${name}` : 'parameter value');
    row.append(key, ' = ', input);
    $('params').append(row);
  }

  function fillSelect(select, options, selected) {
    select.replaceChildren(
      ...options.map((o) => {
        const option = document.createElement('option');
        option.value = o.value;
        option.textContent = visible(o.label);
        option.selected = o.value === selected;
        return option;
      }),
    );
  }

  function showControls(status) {
    const lists = JSON.stringify([status.reports, status.periods, status.report, status.period]);
    if (lists !== lastLists) {
      lastLists = lists;
      fillSelect(
        $('report'),
        status.reports.map((r) => ({ value: r, label: r })),
        status.report,
      );
      const periods = status.periods.some((p) => p.value === status.period)
        ? status.periods
        : [{ value: status.period ?? '', label: status.period ?? 'latest' }, ...status.periods];
      fillSelect($('period'), periods, status.period);
    }
    const params = JSON.stringify(status.params);
    if (params !== lastParams && !root.activeElement) {
      lastParams = params;
      $('params').replaceChildren();
      for (const [name, value] of Object.entries(status.params)) paramRow(name, value);
    }
    const state = $('state');
    state.className = status.problem ? 'bad' : '';
    if (status.running) state.textContent = 'running…';
    else if (status.problem) state.textContent = `${status.problem.title}, see above`;
    else if (status.timing) state.textContent = `rendered in ${Math.round(status.timing.totalMs)} ms`;
  }

  function showProblem(problem) {
    const overlay = $('overlay');
    const key = problem ? JSON.stringify(problem) : '';
    if (!problem || key === dismissed) {
      overlay.hidden = true;
      return;
    }
    $('overlay-title').textContent = problem.title;
    const where = problem.file
      ? `${problem.file}${problem.line ? `:${problem.line}` : ''}${problem.column ? `:${problem.column}` : ''}`
      : '';
    $('overlay-location').textContent = where;
    $('overlay-message').textContent = visible(problem.message);
    $('overlay-stack').textContent = visible(problem.stack ?? '');
    overlay.hidden = false;
    overlay.dataset.key = key;
  }

  // Replaces the report under the controls with the newest render, keeping the scroll position.
  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      while (shown < wanted) {
        const target = wanted;
        const response = await fetch(`/report.html?v=${target}`);
        if (!response.ok) break;
        const version = Number(response.headers.get('x-pulse-version') ?? target);
        const next = new DOMParser().parseFromString(await response.text(), 'text/html');
        const y = window.scrollY;
        document.title = next.title;
        const styles = [...document.head.querySelectorAll('style')];
        const nextStyles = [...next.head.querySelectorAll('style')];
        if (styles.map((s) => s.textContent).join('\n') !== nextStyles.map((s) => s.textContent).join('\n')) {
          for (const style of styles) style.remove();
          for (const style of nextStyles) document.head.append(document.adoptNode(style));
        }
        for (const node of [...document.body.childNodes]) if (node !== host) node.remove();
        for (const node of [...next.body.childNodes])
          document.body.insertBefore(document.adoptNode(node), host);
        window.scrollTo(0, y);
        shown = version;
        host.dataset.version = String(shown);
      }
    } finally {
      refreshing = false;
    }
  }

  function onStatus(status) {
    if (status.session !== session) {
      // The server restarted: its renders count from 1 again.
      session = status.session;
      shown = 0;
    }
    showControls(status);
    showProblem(status.problem);
    wanted = status.version;
    if (wanted > shown) refresh();
  }

  $('overlay-close').addEventListener('click', () => {
    dismissed = $('overlay').dataset.key ?? '';
    $('overlay').hidden = true;
  });
  $('report').addEventListener('change', () => post({ report: $('report').value }));
  $('period').addEventListener('change', () => post({ period: $('period').value }));
  $('add-param').addEventListener('click', () => paramRow('', ''));
  $('bar').addEventListener('submit', (event) => {
    event.preventDefault();
    const params = {};
    for (const row of $('params').children) {
      const name = row.querySelector('.param-name').value.trim();
      if (name) params[name] = row.querySelector('.param-value').value;
    }
    lastParams = '';
    post({ period: $('period').value, params });
  });

  const events = new EventSource('/events');
  events.onmessage = (event) => onStatus(JSON.parse(event.data));
  events.onerror = () => {
    $('state').textContent = 'reconnecting to pulse dev…';
  };
  onStatus(config.status);
})();
