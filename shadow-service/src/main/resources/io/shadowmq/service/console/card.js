// One thing's card: its state laid out from its thing model (reported and desired side by side, what became of each
// desired value), presence, a form for desired values and one per action, the commands it was given, and the last
// hour of its numeric values.

import { api, ApiError } from './api.js';
import { History, chart, HOUR_MS, lastHour } from './chart.js';
import { clear, domId, h } from './dom.js';
import { ago, at, clock, format, isNumeric, label, leaves, put, unitSymbol } from './model.js';
import { desiredViolations, inputViolations, messageOf } from './validate.js';

const FINAL = new Set(['succeeded', 'failed', 'expired', 'cancelled']);

export class ThingCard {
  /**
   * @param thing     {thingId, type, owner, connected, lastConnectedAt, lastDisconnectedAt}
   * @param model     the thing model as served
   * @param options   {browserCheck: () => boolean, status: (text, kind) => void}
   */
  constructor(thing, model, options) {
    this.thing = thing;
    this.model = model;
    this.options = options;
    this.leaves = leaves(model.properties);
    this.numeric = this.leaves.filter((leaf) => isNumeric(leaf.schema));
    this.doc = { state: { reported: {}, desired: {} }, metadata: {}, version: -1, desiredOutcomes: {} };
    this.history = new History();
    this.commands = new Map();
    this.chartTimer = null;
    this.node = this.build();
  }

  get id() {
    return this.thing.thingId;
  }

  build() {
    const id = this.id;
    const headingId = domId('thing', id, 'heading');
    this.presenceNode = h('p', { class: 'presence' });
    this.versionNode = h('span', { class: 'version' });
    this.rows = new Map();
    const body = h('tbody');
    for (const leaf of this.leaves) {
      const row = h(
        'tr',
        { 'data-path': leaf.path },
        h('th', { scope: 'row' }, leaf.title, leaf.schema.readOnly === true ? null : h('span', { class: 'writable', title: 'others may set it' }, ' ✎')),
        h('td', { class: 'reported' }, '—'),
        h('td', { class: 'desired' }, ''),
      );
      this.rows.set(leaf.path, row);
      body.append(row);
    }
    this.chartsNode = h('div', { class: 'charts' });
    this.commandsNode = h('ol', { class: 'commands', 'aria-label': 'Commands given to ' + id });
    return h(
      'article',
      { class: 'card', id: domId('thing', id), 'data-thing': id, 'aria-labelledby': headingId },
      h(
        'header',
        {},
        h('h3', { id: headingId }, id),
        h('p', { class: 'type' }, this.model.title || this.thing.type, ' · ', this.versionNode),
        this.presenceNode,
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'state' },
          h('caption', { class: 'visually-hidden' }, 'State of ' + id),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Property'), h('th', { scope: 'col' }, 'Reported'), h('th', { scope: 'col' }, 'Desired'))),
          body,
        ),
      ),
      this.desiredForm(),
      this.actionForms(),
      this.commandsNode,
      h('section', { class: 'history', 'aria-label': 'Last hour of ' + id }, h('h4', {}, 'Last hour'), this.chartsNode),
    );
  }

  // ---- state ---------------------------------------------------------------------------------------------------

  /** Shows a shadow document if it is newer than the one shown (events may repeat or arrive after a GET). */
  show(doc, at_ = Date.now()) {
    if (typeof doc.version === 'number' && doc.version <= this.doc.version) {
      return false;
    }
    this.doc = {
      state: { reported: (doc.state && doc.state.reported) || {}, desired: (doc.state && doc.state.desired) || {} },
      metadata: doc.metadata || {},
      version: typeof doc.version === 'number' ? doc.version : this.doc.version,
      desiredOutcomes: doc.desiredOutcomes || {},
    };
    this.versionNode.textContent = 'version ' + this.doc.version;
    for (const leaf of this.leaves) {
      this.showLeaf(leaf);
    }
    this.history.add(this.numeric, this.doc.state.reported, at_, at);
    this.renderChartsSoon();
    return true;
  }

  showLeaf(leaf) {
    const row = this.rows.get(leaf.path);
    const reported = at(this.doc.state.reported, leaf.path);
    const reportedCell = row.querySelector('td.reported');
    const text = format(leaf.schema, reported);
    if (reportedCell.textContent !== text) {
      // Only a change is highlighted, not the first value a new card shows.
      const first = reportedCell.textContent === '—';
      reportedCell.textContent = text;
      if (first) {
        return this.showDesired(leaf);
      }
      reportedCell.classList.remove('changed');
      // Restart the highlight: reading offsetWidth makes the browser see the class removed.
      void reportedCell.offsetWidth;
      reportedCell.classList.add('changed');
    }
    return this.showDesired(leaf);
  }

  showDesired(leaf) {
    const row = this.rows.get(leaf.path);
    const desiredCell = row.querySelector('td.desired');
    clear(desiredCell);
    const desired = at(this.doc.state.desired, leaf.path);
    const outcome = this.doc.desiredOutcomes[leaf.path];
    if (desired !== undefined) {
      const meta = at(this.doc.metadata.desired || {}, leaf.path) || {};
      desiredCell.append(
        format(leaf.schema, desired),
        ' ',
        h('span', { class: 'badge pending', title: meta.setBy ? 'set by ' + meta.setBy : null }, 'pending'),
      );
    } else if (outcome) {
      const words = outcome.status === 'rejected' && outcome.reason ? 'rejected: ' + outcome.reason : outcome.status;
      desiredCell.append(
        format(leaf.schema, outcome.value),
        ' ',
        h(
          'span',
          { class: 'badge ' + outcome.status, title: (outcome.setBy ? 'set by ' + outcome.setBy + ', ' : '') + 'ended ' + clock(outcome.at) },
          words,
        ),
      );
    }
  }

  presence(connected, timestamp) {
    if (connected) {
      this.thing.connected = true;
      this.thing.lastConnectedAt = timestamp;
    } else {
      this.thing.connected = false;
      this.thing.lastDisconnectedAt = timestamp;
    }
    this.showPresence();
  }

  showPresence() {
    const t = this.thing;
    clear(this.presenceNode);
    this.presenceNode.classList.toggle('online', t.connected === true);
    if (t.connected) {
      this.presenceNode.append(h('span', { class: 'dot', 'aria-hidden': 'true' }), 'online');
    } else if (t.lastDisconnectedAt || t.lastConnectedAt) {
      const seen = t.lastDisconnectedAt || t.lastConnectedAt;
      this.presenceNode.append(
        h('span', { class: 'dot', 'aria-hidden': 'true' }),
        'offline · last seen ',
        h('time', { datetime: new Date(seen).toISOString(), title: new Date(seen).toLocaleString('en-GB') }, ago(seen)),
      );
    } else {
      this.presenceNode.append(h('span', { class: 'dot', 'aria-hidden': 'true' }), 'never connected');
    }
  }

  // ---- desired values ------------------------------------------------------------------------------------------

  desiredForm() {
    const writable = this.leaves.filter((leaf) => leaf.schema.readOnly !== true);
    if (writable.length === 0) {
      return null;
    }
    const formError = h('p', { class: 'form-error', role: 'alert' });
    const fields = writable.map((leaf) => this.field(domId('desired', this.id, leaf.path), leaf.title, leaf.schema, leaf.path));
    const form = h(
      'form',
      { class: 'desired-form', novalidate: true, 'aria-label': 'Set desired values of ' + this.id },
      h('div', { class: 'fields' }, fields),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Send desired values'), formError),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.sendDesired(form, formError);
    });
    return h('details', { class: 'set-desired' }, h('summary', {}, 'Set desired values'), form);
  }

  /** A labelled control for one value of a schema: a select for booleans and enums, else an input. */
  field(id, title, schema, path, required = false) {
    const errorId = id + '--error';
    let control;
    if (schema.type === 'boolean' || Array.isArray(schema.enum)) {
      const values = schema.type === 'boolean' ? [true, false] : schema.enum;
      control = h(
        'select',
        { id, 'aria-describedby': errorId },
        h('option', { value: '' }, required ? 'choose…' : '(leave as is)'),
        values.map((value) => h('option', { value: JSON.stringify(value) }, label(schema, value))),
      );
    } else {
      const numeric = isNumeric(schema);
      control = h('input', {
        id,
        type: numeric ? 'number' : 'text',
        inputmode: numeric ? (schema.type === 'integer' ? 'numeric' : 'decimal') : null,
        step: numeric ? (schema.type === 'integer' ? '1' : 'any') : null,
        min: numeric && typeof schema.minimum === 'number' ? schema.minimum : null,
        max: numeric && typeof schema.maximum === 'number' ? schema.maximum : null,
        autocomplete: 'off',
        'aria-describedby': errorId,
      });
    }
    if (required) {
      control.setAttribute('aria-required', 'true');
    }
    control.dataset.path = path;
    control.dataset.type = schema.type;
    const range =
      isNumeric(schema) && (typeof schema.minimum === 'number' || typeof schema.maximum === 'number')
        ? ` (${schema.minimum ?? '…'}–${schema.maximum ?? '…'}${schema.unit ? ' ' + unitSymbol(schema.unit) : ''})`
        : '';
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, title, required ? ' (required)' : '', h('span', { class: 'hint' }, range)),
      control,
      h('p', { class: 'field-error', id: errorId, 'aria-live': 'polite' }),
    );
  }

  /** The values filled in, as a nested object; a number field that does not parse is sent as its text. */
  static collect(form) {
    const value = {};
    let any = false;
    for (const control of form.querySelectorAll('[data-path]')) {
      const raw = control.value.trim();
      if (raw === '') {
        continue;
      }
      let parsed = raw;
      if (control.tagName === 'SELECT') {
        parsed = JSON.parse(raw);
      } else if (control.dataset.type === 'integer' || control.dataset.type === 'number') {
        parsed = Number.isNaN(Number(raw)) ? raw : Number(raw);
      }
      put(value, control.dataset.path, parsed);
      any = true;
    }
    return any ? value : null;
  }

  static clearErrors(form, formError) {
    for (const error of form.querySelectorAll('.field-error')) {
      error.textContent = '';
    }
    for (const control of form.querySelectorAll('[aria-invalid]')) {
      control.removeAttribute('aria-invalid');
    }
    formError.textContent = '';
  }

  /**
   * Shows each "path: rule" next to its field; what fits no field goes to the form. prefix: how the message names
   * the form's values ('' for desired, 'input.' for an action input).
   */
  static showViolations(form, formError, violations, prefix, source) {
    let first = null;
    const rest = [];
    for (const { path, rule } of violations) {
      const name = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
      const control = [...form.querySelectorAll('[data-path]')].find((c) => c.dataset.path === name);
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        const error = document.getElementById(control.getAttribute('aria-describedby'));
        error.textContent = error.textContent ? error.textContent + '; ' + rule : rule;
        error.dataset.source = source;
        first = first || control;
      } else {
        rest.push(path + ': ' + rule);
      }
    }
    if (rest.length > 0) {
      formError.textContent = rest.join('; ');
    }
    if (first) {
      first.focus();
    }
  }

  /** A server's 422 detail ("a.b: rule; c: rule; and 2 more") back into {path, rule} pairs. */
  static parseDetail(detail) {
    return detail
      .split('; ')
      .filter((part) => !/^and \d+ more$/.test(part))
      .map((part) => {
        const colon = part.indexOf(': ');
        return colon < 0 ? { path: '', rule: part } : { path: part.slice(0, colon), rule: part.slice(colon + 2) };
      });
  }

  /**
   * Sends what a form holds, unless the browser check is on and finds violations (shown next to the fields, nothing
   * sent); what the server still refuses (422) is shown next to the fields the same way. prefix: how messages name
   * the form's values ('' for desired values, 'input.' for an action's input); send() answers the status line.
   */
  async submit(form, formError, what, prefix, violations, send) {
    if (this.options.browserCheck() && violations.length > 0) {
      ThingCard.showViolations(form, formError, violations, prefix, 'browser');
      this.options.status('Not sent to ' + this.id + ': ' + messageOf(violations), 'error');
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const said = await send();
      form.reset();
      this.options.status(said, 'ok');
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        ThingCard.showViolations(form, formError, ThingCard.parseDetail(error.detail), prefix, 'server');
        this.options.status('The server refused ' + what + ' of ' + this.id + ': ' + error.detail, 'error');
      } else {
        formError.textContent = error.message;
        this.options.status(error.message, 'error');
      }
    } finally {
      button.disabled = false;
    }
  }

  async sendDesired(form, formError) {
    ThingCard.clearErrors(form, formError);
    const desired = ThingCard.collect(form);
    if (desired === null) {
      formError.textContent = 'Nothing to send: fill in at least one value.';
      return;
    }
    await this.submit(form, formError, 'the desired values', '', desiredViolations(this.model.properties, desired), async () => {
      const doc = await api.desire(this.id, desired);
      this.show(doc);
      return 'Desired values of ' + this.id + ' sent (version ' + doc.version + ').';
    });
  }

  // ---- actions and commands ------------------------------------------------------------------------------------

  actionForms() {
    const actions = Object.entries(this.model.actions || {});
    if (actions.length === 0) {
      return null;
    }
    return h(
      'details',
      { class: 'actions' },
      h('summary', {}, 'Actions'),
      actions.map(([name, action]) => this.actionForm(name, action)),
    );
  }

  actionForm(name, action) {
    const formError = h('p', { class: 'form-error', role: 'alert' });
    const required = (action.input && action.input.required) || [];
    const inputs = Object.entries((action.input && action.input.properties) || {}).map(([member, schema]) =>
      this.field(domId('action', this.id, name, member), schema.title || member, schema, member, required.includes(member)),
    );
    const critical = action.safety === 'critical';
    const form = h(
      'form',
      { class: 'action-form', novalidate: true, 'data-action': name, 'aria-label': (action.title || name) + ' on ' + this.id },
      h('h4', {}, action.title || name, critical ? h('span', { class: 'badge critical' }, 'critical') : null),
      action.description ? h('p', { class: 'hint' }, action.description) : null,
      inputs.length > 0 ? h('div', { class: 'fields' }, inputs) : null,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, action.title || name), formError),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.invoke(form, name, action, formError);
    });
    return form;
  }

  async invoke(form, name, action, formError) {
    ThingCard.clearErrors(form, formError);
    const input = ThingCard.collect(form);
    const title = action.title || name;
    await this.submit(form, formError, title, 'input.', inputViolations(action, input), async () => {
      const command = await api.invoke(this.id, name, input === null ? undefined : input);
      this.command(command);
      return title + ' sent to ' + this.id + ': ' + command.status + '.';
    });
  }

  /** A command as created, or a `command` event: its line in the list, with progress while it runs. */
  command(change) {
    const known = this.commands.get(change.commandId);
    if (!known && !change.action) {
      return;
    }
    const command = { ...(known || {}), ...change };
    if (FINAL.has(command.status)) {
      delete command.progress;
    }
    this.commands.set(change.commandId, command);
    let item = this.commandsNode.querySelector(`li[data-command="${CSS.escape(change.commandId)}"]`);
    if (!item) {
      item = h('li', { 'data-command': change.commandId });
      this.commandsNode.prepend(item);
      while (this.commandsNode.children.length > 5) {
        this.commandsNode.lastElementChild.remove();
      }
    }
    clear(item);
    const title = (this.model.actions && this.model.actions[command.action] && this.model.actions[command.action].title) || command.action;
    item.dataset.status = command.status;
    item.append(
      h(
        'span',
        {},
        h('span', { class: 'command-name' }, title),
      ' ',
      h('span', { class: 'badge ' + command.status }, command.status),
      typeof command.progress === 'number'
        ? [' ', h('progress', { max: 100, value: command.progress, 'aria-label': title + ' progress' }), ' ' + command.progress + ' %']
        : null,
      command.reason ? ' — ' + command.reason : null,
        command.output ? ' — ' + JSON.stringify(command.output) : null,
      ),
    );
  }

  // ---- history -------------------------------------------------------------------------------------------------

  /** A live shadow event of this thing: the document it made, at its time. */
  shadowEvent(data) {
    if (data.current) {
      this.history.add(this.numeric, (data.current.state && data.current.state.reported) || {}, data.timestamp, at);
      this.renderChartsSoon();
      this.show(data.current, data.timestamp);
    }
  }

  /**
   * Reads the last hour of each numeric value from the history endpoint and charts it with what arrived live since;
   * a value this key may not read (403) or a failed read is charted from the live values only.
   */
  async loadHistory() {
    const now = Date.now();
    const read = (path, query) => api.history(this.id, path, query);
    await Promise.all(
      this.numeric.map(async (leaf) => {
        try {
          this.history.load(leaf.path, await lastHour(read, leaf.path, now));
        } catch (ignored) {
          // charted from the live values only
        }
      }),
    );
    this.renderCharts();
  }

  renderChartsSoon() {
    if (this.chartTimer !== null) {
      return;
    }
    this.chartTimer = setTimeout(() => {
      this.chartTimer = null;
      this.renderCharts();
    }, 500);
  }

  renderCharts() {
    const now = Date.now();
    this.history.prune(now);
    clear(this.chartsNode);
    let any = false;
    for (const leaf of this.numeric) {
      const points = (this.history.series.get(leaf.path) || []).filter((p) => p.t >= now - HOUR_MS);
      if (points.length === 0) {
        continue;
      }
      any = true;
      this.chartsNode.append(
        h(
          'figure',
          { class: 'chart', 'data-path': leaf.path },
          chart(leaf, points, now),
          h('figcaption', {}, leaf.title, ': ', h('strong', {}, format(leaf.schema, points[points.length - 1].v))),
        ),
      );
    }
    if (!any) {
      this.chartsNode.append(h('p', { class: 'hint' }, 'No numeric values reported in the last hour.'));
    }
  }

  /** Focuses nothing, but keeps "last seen" and the charts' time axis current. */
  tick() {
    this.showPresence();
    this.renderChartsSoon();
  }
}

