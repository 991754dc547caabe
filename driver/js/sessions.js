// The driver's sessions, newest first: when, where, how long, how much energy and what it cost
// (VAT included), the running ones marked and looked at again every few seconds; a receipt per
// ended session and a month's statement, each as PDF or CSV.

import { api, download, query } from "./api.js";
import { badge, duration, field, h, kwh, message, money, replace, when } from "./dom.js";

const REFRESH_MS = 5000;
const PAGE = 20;

function thisMonth() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
}

function costOf(session) {
  if (!session.cost) return session.active ? "Priced when it ends" : "No price";
  const amount = money(session.cost.inclVat, session.currency);
  return session.active ? `${amount} so far` : amount;
}

// A button that saves a file the API makes: `target()` answers [path, fallback name], or a
// third item saying why there is nothing to fetch yet; `status` tells what was saved or why not.
function saver(label, name, target, status) {
  const button = h("button", { type: "button", class: "quiet", "aria-label": name }, label);
  button.addEventListener("click", async () => {
    const [path, fallback, problem] = target();
    if (problem) {
      replace(status, message("error", problem));
      return;
    }
    button.disabled = true;
    try {
      replace(status, message("ok", `Saved ${await download(path, fallback)}.`));
    } catch (error) {
      const words = { 409: "This session is still running: its receipt is ready when it ends." }[error.status];
      replace(status, message("error", words ? `${words} (${error.message})` : error.message));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function statement() {
  const month = h("input", { type: "month", name: "month", value: thisMonth(), max: thisMonth(), required: true });
  const status = h("div", { "aria-live": "polite" });
  const target = (format) => () => (/^\d{4}-\d{2}$/.test(month.value)
    ? [`/driver/statements/${month.value}${query({ format })}`, `statement-${month.value}.${format}`]
    : [null, null, "Choose a month first."]);
  const button = (format) => {
    const label = `Statement (${format.toUpperCase()})`;
    return saver(label, label, target(format), status);
  };
  return h("section", { class: "card", "aria-labelledby": "statement-heading" },
    h("h2", { id: "statement-heading" }, "Monthly statement"),
    h("p", { class: "muted" }, "Every ended session of a month and its totals, for your records or your employer."),
    h("div", { class: "row" }, field("Month", month), h("div", { class: "actions" }, button("pdf"), button("csv"))),
    status);
}

function sessionItem(session) {
  const place = session.chargePointId;
  const started = when(session.startedAt);
  const receipt = `/driver/sessions/${encodeURIComponent(place)}/${encodeURIComponent(session.transactionId)}/receipt`;
  const status = h("div", { "aria-live": "polite" });
  const file = `receipt-${place}-${session.transactionId}`;
  const about = `the session of ${started} at ${place}`;
  return h("li", { class: `item${session.active ? " active" : ""}` },
    h("div", { class: "line" }, h("strong", {}, started), session.active ? badge("Charging now") : null),
    h("dl", { class: "facts" },
      h("div", {}, h("dt", {}, "Where"), h("dd", {}, place)),
      h("div", {}, h("dt", {}, "Duration"), h("dd", {}, duration(session.durationSeconds))),
      h("div", {}, h("dt", {}, "Energy"), h("dd", {}, kwh(session.energyWh))),
      h("div", {}, h("dt", {}, "Cost incl. VAT"), h("dd", {}, costOf(session))),
      h("div", {}, h("dt", {}, "Card"), h("dd", {}, h("code", {}, session.idToken)))),
    session.active
      ? h("p", { class: "muted" }, "The receipt is ready when the session ends.")
      : h("div", { class: "actions" },
        ["pdf", "csv"].map((format) => saver(`Receipt (${format.toUpperCase()})`, `Receipt (${format.toUpperCase()}) for ${about}`,
          () => [receipt + query({ format }), `${file}.${format}`], status))),
    status);
}

export function sessionsPage(root) {
  const list = h("ul", { class: "items", "aria-label": "Sessions" });
  const status = h("div", { "aria-live": "polite" });
  const more = h("button", { type: "button", class: "quiet", hidden: true }, "Show older sessions");
  replace(root, h("h1", {}, "Sessions"), statement(), h("h2", {}, "Your sessions"), status, list, more);

  let token;
  let pages = 0;
  let timer;
  let left = false;

  async function load(first) {
    clearTimeout(timer);
    try {
      const page = await api("GET", `/driver/sessions${query({ limit: PAGE, nextToken: first ? undefined : token })}`);
      if (first) {
        replace(list);
        pages = 0;
      }
      pages += 1;
      list.append(...page.items.map(sessionItem));
      token = page.nextToken;
      more.hidden = !token;
      replace(status, list.children.length ? null
        : message("info", "No sessions yet. Sessions charged with a card linked to your account show here (see Account)."));
      // A running session's energy and cost move: the first page is read again while one runs.
      if (!left && pages === 1 && page.items.some((s) => s.active)) timer = setTimeout(() => load(true), REFRESH_MS);
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  more.addEventListener("click", () => load(false));
  load(true);
  return () => { left = true; clearTimeout(timer); };
}
