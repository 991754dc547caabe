// A station's registration: its Basic auth password rotated (one the CSMS makes, or one given),
// its security profile raised on the station, and what the CSMS holds it to (site, least profile,
// blocked); deregistering it, after asking.

import { needs, permit } from "../access.js";
import { api, command, get } from "../api.js";
import { ask, field, h, message, replace, select, when } from "../dom.js";
import { outcome, refusal } from "./commands.js";

const ROTATE = needs("POST /charge-points/<charge_point_id>/password");
const RAISE = needs("POST /charge-points/<charge_point_id>/security-profile");
const REGISTER = needs("PUT /charge-points/<charge_point_id>");
const DEREGISTER = needs("DELETE /charge-points/<charge_point_id>");

export function registrationPanel(body, id) {
  const path = `/charge-points/${encodeURIComponent(id)}`;
  const facts = h("div");
  const forms = h("div", { class: "grid" });
  // What the latest action came to: outside the forms, which are drawn again after each change.
  const said = h("div", { "aria-live": "polite" });
  replace(body, facts, said, forms);

  function draw(cp, sites) {
    replace(facts, h("dl", { class: "facts" }, [
      ["OCPP", cp.ocppVersion || "never connected"], ["Password", cp.hasPassword ? "set" : "none"],
      ["Security profile", cp.securityProfile ?? "any"], ["Site", cp.siteId || "none"],
      ["Blocked", cp.blocked ? "yes" : "no"], ["Registered", when(cp.registeredAt)],
    ].map(([term, value]) => [h("dt", {}, term), h("dd", {}, String(value))])));

    const rotate = h("form", { class: "card" }, h("h2", {}, "Rotate the password"),
      h("p", { class: "muted" }, "Set on the station first; the old one stays good for a grace period. It is never shown."),
      field("New password", h("input", { name: "password", type: "password", autocomplete: "new-password", minlength: "16", maxlength: "40" }),
        "Empty: the CSMS makes a strong one"),
      h("button", { type: "submit" }, "Rotate"));
    rotate.addEventListener("submit", async (event) => {
      event.preventDefault();
      const password = new FormData(rotate).get("password");
      replace(said, message("info", "Sent; waiting for the station…"));
      try {
        replace(said, outcome(await command(id, "password", password ? { password } : {})));
        rotate.reset();
        load();
      } catch (error) {
        replace(said, refusal(error));
      }
    });

    const twoX = cp.ocppVersion && cp.ocppVersion !== "1.6";
    const raise = h("form", { class: "card" }, h("h2", {}, "Raise the security profile"),
      field("Profile", select("securityProfile", [["2", "2: TLS and a password"], ["3", "3: TLS and a client certificate"]], "2")),
      twoX ? [
        field("Slot", h("input", { name: "configurationSlot", type: "number", min: "0", value: "2", required: true }), "The network profile slot it goes in"),
        field("CSMS URL", h("input", { name: "csmsUrl", type: "url", required: true, pattern: "wss://.*", placeholder: "wss://ocpp.example.com/ocpp/" }), "wss://, without the station's identity"),
      ] : null,
      h("button", { type: "submit" }, "Raise"));
    raise.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(raise);
      const wanted = { securityProfile: Number(data.get("securityProfile")) };
      if (twoX) Object.assign(wanted, { configurationSlot: Number(data.get("configurationSlot")), csmsUrl: data.get("csmsUrl") });
      try {
        const sent = await api("POST", `${path}/security-profile`, wanted);
        replace(said, message("ok", `Sent: ${sent.map((c) => c.action).join(", ")}.`));
      } catch (error) {
        replace(said, refusal(error));
      }
    });

    const siteChoice = select("siteId", [["", "None"], ...sites.map((s) => [s.siteId, s.siteId])], cp.siteId || "");
    const hold = h("form", { class: "card" }, h("h2", {}, "Registration"),
      field("Site", siteChoice, "Its tariffs follow its site"),
      field("Least security profile", select("securityProfile", [["", "As it is"], ["1", "1: a password"], ["2", "2: TLS and a password"], ["3", "3: a client certificate"]], ""),
        "A handshake below it is refused"),
      h("div", { class: "field check" }, h("label", {}, h("input", { name: "blocked", type: "checkbox", checked: cp.blocked }), " Blocked: it may not connect")),
      h("button", { type: "submit" }, "Save"));
    hold.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(hold);
      const registration = { siteId: data.get("siteId") || null, blocked: data.get("blocked") === "on" };
      if (data.get("securityProfile")) registration.securityProfile = Number(data.get("securityProfile"));
      try {
        await api("PUT", path, registration);
        replace(said, message("ok", `${id}'s registration saved.`));
        load();
      } catch (error) {
        replace(said, refusal(error));
      }
    });

    const leave = h("div", { class: "card" }, h("h2", {}, "Deregister"),
      h("p", { class: "muted" }, "Its connection is closed and its registration removed."),
      h("button", { type: "button", class: "danger", onclick: async () => {
        if (!await ask(`Deregister ${id}?`, "Its connection is closed; a registered-only CSMS no longer admits it.", "Deregister")) return;
        try {
          await api("DELETE", path);
          replace(said, message("ok", `${id} deregistered.`));
        } catch (error) {
          replace(said, refusal(error));
        }
      } }, "Deregister"));

    replace(forms, permit(rotate, ROTATE), permit(raise, RAISE), permit(hold, REGISTER), permit(leave, DEREGISTER));
  }

  async function load() {
    try {
      const [cp, sites] = await Promise.all([get(path), get("/sites").then((s) => s.items).catch(() => [])]);
      draw(cp, sites);
    } catch (error) {
      replace(facts, refusal(error));
    }
  }
  load();
}
