// Building the page without innerHTML: every value the API returns is set as text.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

let fieldCount = 0;

// A labelled input: [label, control] in one element, the label tied to the control.
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: id }, label), control,
    hint ? h("small", { id: hintId }, hint) : null);
}

export function select(name, options, value) {
  return h("select", { name },
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
}

// A table of rows: columns are [heading, row => cell content].
export function table(caption, columns, rows, empty = "Nothing yet.") {
  if (!rows.length) return h("p", { class: "empty" }, empty);
  // A table wider than the screen scrolls in its region, which the keyboard can reach and scroll.
  return h("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": caption },
    h("table", {},
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, columns.map(([heading]) => h("th", { scope: "col" }, heading)))),
      h("tbody", {}, rows.map((row) => h("tr", {}, columns.map(([, cell]) => h("td", {}, cell(row))))))));
}

// A moment in the reader's words (the year only when it is not this one); `parts` adds to or
// takes from the fields shown (a field set to undefined is left out).
export function when(value, parts = { second: "2-digit" }) {
  if (!value) return "–";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const thisYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleString(undefined, {
    year: thisYear ? undefined : "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", ...parts,
  });
}

export function kwh(wh) {
  return wh === null || wh === undefined ? "–" : `${(wh / 1000).toFixed(2)} kWh`;
}

// A JSON value as text; a long one scrolls in its box, which the keyboard can reach and scroll
// (a named region, as a wide table's is).
export function json(value, label = "JSON") {
  return h("pre", { class: "json", tabindex: "0", role: "region", "aria-label": label }, JSON.stringify(value, null, 2));
}

// What a status says, in words and a colour (never the colour alone).
export function badge(status) {
  const kind = {
    Available: "ok", Charging: "busy", Occupied: "busy", Preparing: "busy", SuspendedEV: "busy",
    SuspendedEVSE: "busy", Finishing: "busy", Reserved: "info", Faulted: "bad", Unavailable: "warn",
    online: "ok", offline: "bad", completed: "ok", pending: "info", failed: "bad", timeout: "warn",
    succeeded: "ok", critical: "bad", active: "ok", revoked: "bad", expired: "warn", Accepted: "ok",
    Blocked: "bad", Expired: "warn", Invalid: "bad", unknown: "info", Parked: "warn",
  }[status] || "info";
  return h("span", { class: `badge ${kind}` }, status);
}

export function message(kind, text) {
  return h("p", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

export function download(name, text, type = "text/csv") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Asks before something that cannot be undone, in the page (a modal <dialog>: the keyboard stays
// in it, Escape answers no, and the safe answer has the focus). Answers true for `yes`.
export function ask(question, detail, yes) {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", "aria-label": question },
      h("form", { method: "dialog" },
        h("h2", {}, question),
        detail ? h("p", {}, detail) : null,
        h("div", { class: "actions" },
          h("button", { type: "submit", value: "yes", class: "danger" }, yes),
          h("button", { type: "submit", value: "no", class: "quiet", autofocus: true }, "Cancel"))));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "yes");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

// A secret the API shows this once (an API key, a driver's key): the value, a copy button and
// the warning that it will not be shown again.
export function secret(label, value) {
  const input = h("input", { type: "text", readonly: true, value, class: "secret-value", spellcheck: "false" });
  const said = h("span", { role: "status" });
  const copy = h("button", { type: "button", onclick: async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(value);
      said.textContent = "Copied.";
    } catch {
      said.textContent = "Selected: copy it with Ctrl+C (or ⌘C).";
    }
  } }, "Copy");
  return h("div", { class: "card secret" },
    h("p", { class: "message warn" }, `Copy the ${label} now: it is shown this once, and never again (only a hash of it is kept).`),
    field(label, input), h("div", { class: "actions" }, copy, said));
}
