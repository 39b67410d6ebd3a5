// The editor page: the QA panel re-checks the text as it is typed (debounced), each finding links
// to its field; fields grow with their text; keyboard: Ctrl+S save, Ctrl+Enter approve (or submit),
// Alt+N next in the queue, Alt+↓ / Alt+↑ next and previous field.
(() => {
  const form = document.getElementById('editor');
  if (!form) return;
  const panel = document.getElementById('qa');
  const override = document.getElementById('override');
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const labels = JSON.parse(document.getElementById('qa-labels')?.textContent ?? '{}');
  const fields = () => [...form.querySelectorAll('input[name="title"], textarea[name="summary"], textarea[name="block"]')];
  let timer;
  let seq = 0;

  function textOf() {
    const data = new FormData(form);
    return { title: data.get('title') ?? '', summary: data.get('summary') ?? '', tag: data.getAll('tag'), block: data.getAll('block') };
  }

  function render(issues) {
    panel.replaceChildren();
    if (!issues.length) {
      const p = document.createElement('p');
      p.className = 'ok';
      p.textContent = labels.none ?? 'No problems found.';
      panel.append(p);
    } else {
      const ul = document.createElement('ul');
      ul.className = 'issues';
      for (const i of issues) {
        const li = document.createElement('li');
        li.className = i.severity;
        const sev = document.createElement('span');
        sev.className = 'sev';
        sev.textContent = labels[i.severity] ?? i.severity;
        const chk = document.createElement('span');
        chk.className = 'chk';
        chk.textContent = labels[`check.${i.check}`] ?? i.check;
        li.append(sev, ' ', chk, ': ');
        if (i.field && document.getElementById(i.field)) {
          const a = document.createElement('a');
          a.href = `#${i.field}`;
          a.dataset.field = i.field;
          a.textContent = i.message;
          li.append(a);
        } else li.append(i.message);
        ul.append(li);
      }
      panel.append(ul);
    }
    if (override) override.hidden = !issues.some((i) => i.severity === 'error');
  }

  async function check() {
    const mine = ++seq;
    try {
      const res = await fetch(form.dataset.qa, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(textOf()), credentials: 'same-origin' });
      if (!res.ok || mine !== seq) return;
      render((await res.json()).issues);
      panel.dataset.checked = String(mine);
    } catch { /* offline: the panel keeps the last result */ }
  }

  // a finding's link puts the cursor in its field
  panel.addEventListener('click', (e) => {
    const a = e.target.closest?.('a[data-field]');
    const field = a && document.getElementById(a.dataset.field);
    if (!field) return;
    e.preventDefault();
    field.focus();
    field.scrollIntoView({ block: 'center' });
  });

  // fields grow with their text where CSS cannot do it (field-sizing)
  const grows = !(window.CSS && CSS.supports('field-sizing', 'content'));
  const grow = (el) => {
    if (!grows || el.tagName !== 'TEXTAREA') return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight + 2}px`;
  };
  fields().forEach(grow);

  form.addEventListener('input', (e) => {
    grow(e.target);
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });

  document.addEventListener('keydown', (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 's') {
      e.preventDefault();
      document.getElementById('save')?.click();
    } else if (mod && e.key === 'Enter') {
      e.preventDefault();
      (document.getElementById('approve') ?? document.getElementById('submit'))?.click();
    } else if (e.altKey && e.key.toLowerCase() === 'n') {
      const next = document.getElementById('next-link');
      if (next) { e.preventDefault(); location.href = next.href; }
    } else if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      const all = fields();
      const at = all.indexOf(document.activeElement);
      const to = all[at === -1 ? 0 : at + (e.key === 'ArrowDown' ? 1 : -1)];
      if (to) { e.preventDefault(); to.focus(); to.scrollIntoView({ block: 'center' }); }
    }
  });
})();
