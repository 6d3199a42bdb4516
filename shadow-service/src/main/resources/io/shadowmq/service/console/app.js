// The household console (docs/console.md): sign in with an API key, pick a household, watch its things live.

import { api, ApiError, enc, signIn, signOut, takeTokenFromFragment, token } from './api.js';
import { AdminView } from './admin.js';
import { ThingCard } from './card.js';
import { $, clear, h, say } from './dom.js';
import { EventFeed } from './sse.js';

const OWNER_KEY = 'shadowmq.console.owner';

const page = {
  signin: $('#signin'),
  signinForm: $('#signin-form'),
  signinKey: $('#signin-key'),
  signinError: $('#signin-error'),
  app: $('#app'),
  signout: $('#signout'),
  ownerForm: $('#owner-form'),
  owner: $('#owner'),
  owners: $('#owners'),
  things: $('#things'),
  heading: $('#household-heading'),
  stream: $('#stream-state'),
  status: $('#status'),
  browserCheck: $('#browser-check'),
  admin: $('#admin'),
};

let household = null;

function status(text, kind = 'info') {
  say(page.status, text, kind);
}

/** One household on screen: its cards, its live stream, their charts' last hour. */
class Household {
  constructor(owner) {
    this.owner = owner;
    this.cards = new Map();
    this.models = new Map();
    this.feed = null;
    this.closed = false;
    this.ticker = setInterval(() => this.cards.forEach((card) => card.tick()), 15000);
  }

  async model(type) {
    if (!this.models.has(type)) {
      this.models.set(type, api.model(type));
    }
    return this.models.get(type);
  }

  async load() {
    clear(page.things);
    page.heading.textContent = 'Household ' + this.owner;
    status('Loading household ' + this.owner + ' …');
    const startedAt = Date.now();
    const items = [];
    let cursor = null;
    do {
      const query = { owner: this.owner, limit: '1000' };
      if (cursor) {
        query.cursor = cursor;
      }
      const pageOfThings = await api.things(query);
      items.push(...pageOfThings.items);
      cursor = pageOfThings.nextCursor;
    } while (cursor && !this.closed);
    if (items.length === 0) {
      page.things.append(h('p', { class: 'hint' }, 'No things in household ' + this.owner + ' that this key can see.'));
    }
    for (const item of items) {
      const [thing, model, doc] = await Promise.all([api.thing(item.thingId), this.model(item.type), api.shadow(item.thingId)]);
      if (this.closed) {
        return;
      }
      const card = new ThingCard(thing, model, { browserCheck: () => page.browserCheck.checked, status });
      card.show(doc);
      card.showPresence();
      this.cards.set(thing.thingId, card);
      page.things.append(card.node);
    }
    status('Household ' + this.owner + ': ' + items.length + ' thing' + (items.length === 1 ? '' : 's') + '.', 'ok');
    // Live from a little before the documents were read: nothing falls between; versions drop repeats.
    this.feed = new EventFeed('/api/v1/events?owner=' + enc(this.owner), {
      lastEventId: startedAt - 2000 + '-0',
      onEvent: (event) => this.event(event),
      onState: (state, wait) => streamState(state, wait),
      onRefused: (error) => status('The live stream was refused: ' + error.detail, 'error'),
    }).start();
    this.loadHistory([...this.cards.values()]);
  }

  /** Each thing's last hour from the history endpoint, one thing at a time, for its charts. */
  async loadHistory(cards) {
    for (const card of cards) {
      if (this.closed) {
        return;
      }
      await card.loadHistory();
    }
  }

  event(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (ignored) {
      return;
    }
    const card = this.cards.get(data.thingId);
    if (!card) {
      return;
    }
    switch (event.event) {
      case 'shadow':
        card.shadowEvent(data);
        break;
      case 'presence':
        card.presence(data.connected, data.timestamp);
        break;
      case 'command':
        card.command(data);
        break;
      case 'shadow-deleted':
        card.doc.version = -1;
        card.show({ state: { reported: {}, desired: {} }, version: data.version, desiredOutcomes: {} });
        break;
      case 'thing-deleted':
        card.node.remove();
        this.cards.delete(data.thingId);
        status(data.thingId + ' was deprovisioned.', 'info');
        break;
      default:
        break;
    }
  }

  close() {
    this.closed = true;
    clearInterval(this.ticker);
    if (this.feed) {
      this.feed.stop();
    }
  }
}

function streamState(state, wait) {
  page.stream.dataset.state = state;
  if (state === 'live') {
    page.stream.textContent = 'Live';
  } else if (state === 'reconnecting') {
    page.stream.textContent = 'Connection lost, reconnecting in ' + Math.ceil(wait / 1000) + ' s …';
  } else {
    page.stream.textContent = 'Not live';
  }
}

/** The households this key can see: the owners of the things it may list. */
async function knownOwners() {
  const owners = new Set();
  let cursor = null;
  let pages = 0;
  do {
    const query = { limit: '1000' };
    if (cursor) {
      query.cursor = cursor;
    }
    const result = await api.things(query);
    result.items.forEach((item) => owners.add(item.owner));
    cursor = result.nextCursor;
    pages += 1;
  } while (cursor && pages < 20);
  return [...owners].sort();
}

/** Shows a household; with admin false the admin view stays as it is (a secret shown once must not vanish). */
async function showHousehold(owner, withAdmin = true) {
  if (household) {
    household.close();
  }
  sessionStorage.setItem(OWNER_KEY, owner);
  page.owner.value = owner;
  household = new Household(owner);
  const current = household;
  try {
    await household.load();
  } catch (error) {
    if (current === household) {
      status(error.message, 'error');
      if (error instanceof ApiError && error.status === 401) {
        leave(error.detail);
        return;
      }
    }
  }
  if (withAdmin) {
    admin.show(owner);
  }
}

const admin = new AdminView(page.admin, {
  status,
  owner: () => (household ? household.owner : page.owner.value.trim()),
  reload: () => household && showHousehold(household.owner, false),
});

async function enter() {
  let owners;
  try {
    owners = await knownOwners();
  } catch (error) {
    leave(error instanceof ApiError ? error.detail : error.message);
    return;
  }
  page.signin.hidden = true;
  page.app.hidden = false;
  page.signout.hidden = false;
  clear(page.owners);
  owners.forEach((owner) => page.owners.append(h('option', { value: owner })));
  const remembered = sessionStorage.getItem(OWNER_KEY);
  const owner = remembered || (owners.includes('demo') ? 'demo' : owners[0]);
  if (owner) {
    showHousehold(owner);
  } else {
    status('Signed in. This key sees no things yet: name a household above.', 'ok');
    admin.show(page.owner.value.trim());
  }
}

/** Back to the sign-in form, the key forgotten; with the server's words when it refused the key. */
function leave(message) {
  if (household) {
    household.close();
    household = null;
  }
  signOut();
  sessionStorage.removeItem(OWNER_KEY);
  clear(page.things);
  admin.hide();
  page.app.hidden = true;
  page.signout.hidden = true;
  page.signin.hidden = false;
  say(page.signinError, message || '', message ? 'error' : 'info');
  streamState('stopped');
  page.signinKey.focus();
}

page.signinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = page.signinKey.value.trim();
  if (key === '') {
    say(page.signinError, 'Enter an API key or the admin token.', 'error');
    return;
  }
  signIn(key);
  page.signinKey.value = '';
  say(page.signinError, '');
  enter();
});

page.signout.addEventListener('click', () => {
  leave('');
  status('Signed out; the key is forgotten.', 'ok');
});

page.ownerForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const owner = page.owner.value.trim();
  if (owner !== '') {
    showHousehold(owner);
  }
});

takeTokenFromFragment();
if (token() !== null) {
  enter();
} else {
  page.signin.hidden = false;
}
