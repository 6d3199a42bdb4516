// The admin view, for keys with things:admin: provision a thing (its secret shown once), rotate a secret, delete a
// thing, create and revoke API keys (docs/rest.md "Things" and "API keys").

import { api, ApiError } from './api.js';
import { $, clear, copyButton, h, say } from './dom.js';

const SCOPES = ['things:read', 'things:write', 'actions:critical', 'things:admin'];

export class AdminView {
  constructor(root, { status, owner, reload }) {
    this.root = root;
    this.status = status;
    this.owner = owner;
    this.reload = reload;
    this.types = null;
    this.issuedKeys = [];
  }

  hide() {
    this.root.hidden = true;
    clear(this.root);
  }

  /** Shown only when the key may administer this household (reading its grants needs things:admin). */
  async show(owner) {
    this.hide();
    if (!owner) {
      return;
    }
    try {
      await api.grants(owner);
    } catch (error) {
      return; // 403 (no things:admin) or 404: no admin view
    }
    if (this.types === null) {
      try {
        this.types = (await api.models()).items;
      } catch (error) {
        this.types = [];
      }
    }
    let things = [];
    try {
      things = (await api.things({ owner, limit: '1000' })).items;
    } catch (error) {
      this.status(error.message, 'error');
    }
    clear(this.root);
    this.things = this.thingList(things);
    this.root.append(
      h('h2', { id: 'admin-heading' }, 'Administration of household ', owner),
      this.provisionForm(owner),
      this.things,
      this.keyForm(owner),
      this.revokeForm(),
    );
    this.root.hidden = false;
  }

  /** Where a secret or token is shown once, with a copy button. */
  static once(what, name, value) {
    return h(
      'div',
      { class: 'once', role: 'status' },
      h('p', {}, what + ' of ', h('strong', {}, name), ' (shown once, copy it now):'),
      h('code', { class: 'secret' }, value),
      copyButton(value, what.toLowerCase()),
    );
  }

  provisionForm(owner) {
    const result = h('div', { class: 'result', 'aria-live': 'polite' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h(
      'form',
      { id: 'provision-form', novalidate: true, 'aria-labelledby': 'provision-heading' },
      h('h3', { id: 'provision-heading' }, 'Provision a thing'),
      h(
        'div',
        { class: 'fields' },
        field('provision-id', 'Thing id', h('input', { id: 'provision-id', autocomplete: 'off', spellcheck: 'false' })),
        field(
          'provision-type',
          'Type',
          h('select', { id: 'provision-type' }, this.types.map((t) => h('option', { value: t.type }, t.title + ' (' + t.type + ')'))),
        ),
        field('provision-owner', 'Household (owner)', h('input', { id: 'provision-owner', value: owner, autocomplete: 'off' })),
      ),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Provision'), error),
      result,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      say(error, '');
      clear(result);
      try {
        const thing = await api.provision($('#provision-id', form).value.trim(), $('#provision-type', form).value, $('#provision-owner', form).value.trim());
        result.append(AdminView.once('Secret', thing.thingId, thing.secret));
        this.status('Provisioned ' + thing.thingId + '. Its secret is shown once.', 'ok');
        $('#provision-id', form).value = '';
        this.reloadSoon();
      } catch (failure) {
        say(error, failure.message, 'error');
        this.status('Provisioning refused: ' + failure.message, 'error');
      }
    });
    return form;
  }

  thingList(things) {
    const result = h('div', { class: 'result', 'aria-live': 'polite' });
    const rows = things.map((thing) => {
      const rotate = h('button', { type: 'button', class: 'secondary' }, 'Rotate secret');
      const remove = h('button', { type: 'button', class: 'danger' }, 'Delete');
      rotate.setAttribute('aria-label', 'Rotate the secret of ' + thing.thingId);
      remove.setAttribute('aria-label', 'Delete ' + thing.thingId);
      rotate.addEventListener('click', async () => {
        clear(result);
        try {
          const rotated = await api.rotate(thing.thingId);
          result.append(AdminView.once('Secret', rotated.thingId, rotated.secret));
          this.status('New secret for ' + thing.thingId + '; the old one no longer works.', 'ok');
        } catch (failure) {
          this.status(failure.message, 'error');
        }
      });
      remove.addEventListener('click', async () => {
        // Two steps, without a modal dialog: the button asks first.
        if (remove.dataset.confirm !== 'yes') {
          remove.dataset.confirm = 'yes';
          remove.textContent = 'Really delete ' + thing.thingId + '?';
          return;
        }
        try {
          await api.deprovision(thing.thingId);
          this.status('Deleted ' + thing.thingId + '.', 'ok');
          this.reloadSoon();
        } catch (failure) {
          this.status(failure.message, 'error');
        }
      });
      return h('tr', {}, h('th', { scope: 'row' }, thing.thingId), h('td', {}, thing.type), h('td', { class: 'row-actions' }, rotate, ' ', remove));
    });
    return h(
      'section',
      { 'aria-labelledby': 'admin-things-heading' },
      h('h3', { id: 'admin-things-heading' }, 'Things'),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Thing'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Manage'))),
          h('tbody', {}, rows),
        ),
      ),
      result,
    );
  }

  keyForm(owner) {
    const result = h('div', { class: 'result', 'aria-live': 'polite' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const scopes = h(
      'fieldset',
      { class: 'scopes' },
      h('legend', {}, 'Scopes'),
      SCOPES.map((scope) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'scope', value: scope, checked: scope === 'things:read' }), ' ', scope),
      ),
    );
    const form = h(
      'form',
      { id: 'key-form', novalidate: true, 'aria-labelledby': 'key-heading' },
      h('h3', { id: 'key-heading' }, 'Create an API key'),
      h(
        'div',
        { class: 'fields' },
        field('key-name', 'Name', h('input', { id: 'key-name', autocomplete: 'off' })),
        field('key-owners', 'Households (comma-separated, or *)', h('input', { id: 'key-owners', value: owner, autocomplete: 'off' })),
        field('key-thing', 'Bound to thing (optional)', h('input', { id: 'key-thing', autocomplete: 'off' })),
      ),
      scopes,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Create key'), error),
      result,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      say(error, '');
      clear(result);
      const request = {
        name: $('#key-name', form).value.trim(),
        scopes: [...form.querySelectorAll('input[name=scope]:checked')].map((box) => box.value),
      };
      const thing = $('#key-thing', form).value.trim();
      if (thing) {
        request.thing = thing;
      } else {
        request.owners = $('#key-owners', form)
          .value.split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '');
      }
      try {
        const key = await api.createKey(request);
        result.append(AdminView.once('Token', key.name + ' (id ' + key.id + ')', key.token));
        this.status('Created key ' + key.id + '. Its token is shown once.', 'ok');
        this.issuedKeys.push(key.id);
        $('#revoke-id').value = key.id;
      } catch (failure) {
        say(error, failure.message, 'error');
        this.status('Key refused: ' + failure.message, 'error');
      }
    });
    return form;
  }

  revokeForm() {
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h(
      'form',
      { id: 'revoke-form', novalidate: true, 'aria-labelledby': 'revoke-heading' },
      h('h3', { id: 'revoke-heading' }, 'Revoke an API key'),
      h('div', { class: 'fields' }, field('revoke-id', 'Key id', h('input', { id: 'revoke-id', autocomplete: 'off', spellcheck: 'false' }))),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'danger' }, 'Revoke'), error),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      say(error, '');
      const id = $('#revoke-id', form).value.trim();
      try {
        await api.revokeKey(id);
        this.status('Revoked key ' + id + '.', 'ok');
        $('#revoke-id', form).value = '';
      } catch (failure) {
        say(error, failure instanceof ApiError ? failure.detail : failure.message, 'error');
        this.status('Revoking refused: ' + failure.message, 'error');
      }
    });
    return form;
  }

  /** The household's cards and this view's list of things again; forms and secrets shown stay. */
  reloadSoon() {
    setTimeout(async () => {
      this.reload();
      const owner = this.owner();
      try {
        const fresh = this.thingList((await api.things({ owner, limit: '1000' })).items);
        this.things.replaceWith(fresh);
        this.things = fresh;
      } catch (error) {
        this.status(error.message, 'error');
      }
    }, 300);
  }
}

function field(id, title, control) {
  return h('div', { class: 'field' }, h('label', { for: id }, title), control);
}
