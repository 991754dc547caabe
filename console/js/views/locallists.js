// A station's local list: what it holds against the tenant's cards (missing, extra, differing),
// and a send, whole or the difference, followed part by part until the station answered each.

import { needs, permit } from "../access.js";
import { api, every, get } from "../api.js";
import { badge, field, h, message, replace, select, table } from "../dom.js";
import { follow, refusal } from "./commands.js";

const SEND = needs("POST /charge-points/<charge_point_id>/local-list");

// Each card that differs between the station's list and the tenant's: [idToken, held, listed].
export function difference(held, listed) {
  const theirs = new Map(held.map((e) => [e.idToken, e]));
  const ours = new Map(listed.map((e) => [e.idToken, e]));
  const ids = [...new Set([...theirs.keys(), ...ours.keys()])].sort();
  return ids.map((id) => [id, theirs.get(id), ours.get(id)])
    .filter(([, a, b]) => !a || !b || a.status !== b.status || (a.expiryDate || null) !== (b.expiryDate || null)
      || (a.parentIdToken || null) !== (b.parentIdToken || null));
}

export function localListPanel(body, id) {
  const path = `/charge-points/${encodeURIComponent(id)}/local-list`;
  const summary = h("div", { "aria-live": "polite" });
  const progress = h("div");
  const rows = h("div");
  const form = h("form", { class: "card" }, h("h2", {}, "Send the list"),
    field("What", select("mode", [["differential", "The difference since the version it holds"], ["full", "The whole list"]], "differential")),
    h("button", { type: "submit" }, "Send"));
  replace(body, summary, permit(form, SEND), progress, h("h2", {}, "Difference"), rows);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const sync = await api("POST", path, { mode: new FormData(form).get("mode") });
      if (!sync.commands.length) replace(progress, message("ok", "Nothing to send: it is in step."));
      else await follow(progress, sync.commands, `Sending version ${sync.toVersion} in ${sync.commands.length} ${sync.commands.length === 1 ? "part" : "parts"}`);
      await load();
    } catch (error) {
      replace(progress, refusal(error));
    } finally {
      button.disabled = false;
    }
  });

  async function load() {
    try {
      const [held, listed] = await Promise.all([get(path), every("/id-tokens", {}, 100)]);
      const differs = difference(held.entries, listed);
      replace(summary, h("dl", { class: "facts" }, [
        ["Version it holds", held.version ?? "none"], ["Cards it holds", held.entries.length], ["Cards listed", listed.length],
        ["A differential send would change", held.pendingChanges],
      ].map(([term, value]) => [h("dt", {}, term), h("dd", {}, String(value))])),
      held.pendingChanges ? message("warn", `Out of step: ${held.pendingChanges} ${held.pendingChanges === 1 ? "change" : "changes"} to send.`) : message("ok", "In step with the id-token list."));
      replace(rows, table("Difference between the station's list and the id tokens", [
        ["Id token", ([token]) => h("code", {}, token)],
        ["On the station", ([, a]) => (a ? badge(a.status) : "missing")],
        ["In the list", ([, , b]) => (b ? badge(b.status) : "removed")],
      ], differs, "None: the station holds every card as listed."));
    } catch (error) {
      replace(summary, refusal(error));
    }
  }
  load();
}
