// Building the page with DOM calls only: text goes in as text, never as HTML, so nothing a device reports can
// become markup or script.

/** h('p', {class: 'x'}, 'text', child): an element with attributes (on* functions become listeners) and children. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** An id usable in the DOM for any thing id and path: characters other than letters, digits, _ and - become _xx_. */
export function domId(...parts) {
  return parts
    .map((part) => String(part).replace(/[^A-Za-z0-9_-]/g, (c) => '_' + c.charCodeAt(0).toString(16) + '_'))
    .join('--');
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function clear(node) {
  while (node.firstChild) {
    node.firstChild.remove();
  }
}

/** Says something in a live region: screen readers read it, everyone sees it. */
export function say(node, text, kind = 'info') {
  node.textContent = text;
  node.dataset.kind = kind;
}

/** A "copy" button for a secret shown once. */
export function copyButton(text, what) {
  const button = h('button', { type: 'button', class: 'secondary' }, 'Copy ' + what);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch (error) {
      // No clipboard permission (e.g. not a secure context): select the text so Ctrl+C works.
      const code = button.previousElementSibling;
      if (code) {
        window.getSelection().selectAllChildren(code);
      }
      button.textContent = 'Selected: press Ctrl+C';
    }
  });
  return button;
}
