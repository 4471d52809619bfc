extension Assets {
    /// The console's script. Every string from the server (a customer's or an agent's text, a summary, a fact) is
    /// put on the page with `textContent`, never as markup; the content security policy forbids inline script too.
    static let javascript = #"""
        "use strict";
        (function () {
          const app = document.getElementById("app");
          if (!app) return;
          const $ = (id) => document.getElementById(id);
          const el = (tag, attrs, text) => {
            const node = document.createElement(tag);
            for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
            if (text !== undefined && text !== null) node.textContent = String(text);
            return node;
          };
          const announce = (text) => { $("announcer").textContent = ""; setTimeout(() => { $("announcer").textContent = text; }, 30); };
          const digits = { JPY: 0, KRW: 0, ISK: 0, KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3 };
          // Integer minor units to text without floating point: 1188 EUR -> "11.88 EUR".
          const money = (minor, currency) => {
            const d = digits[currency] === undefined ? 2 : digits[currency];
            let s = String(Math.abs(Math.trunc(Number(minor))));
            const sign = Number(minor) < 0 ? "-" : "";
            if (d === 0) return sign + s + " " + currency;
            while (s.length <= d) s = "0" + s;
            return sign + s.slice(0, s.length - d) + "." + s.slice(s.length - d) + " " + currency;
          };
          // What an offer pays on the market's model: a fee per resolution, an hourly rate, or both (a guaranteed minimum).
          const payText = (p) => {
            const hour = p.rate_per_hour_minor ? money(p.rate_per_hour_minor, p.currency) : null;
            if (p.model === "hourly" && hour) return "Paid by the hour: " + hour + " an hour online";
            const fee = "Pays " + money(p.amount_minor, p.currency) + " when resolved";
            return p.model === "hybrid" && hour ? fee + ", at least " + hour + " an hour online" : fee;
          };
          const surge = (bp) => { const h = Math.trunc(bp / 100); const f = h % 100; return Math.trunc(h / 100) + "." + (f < 10 ? "0" : "") + f + "×"; };

          let socket = null, attempts = 0, nextClient = 1, reconnectTimer = null;
          const pending = new Map();     // client_id -> {kind, conversation, text}
          const offers = new Map();      // offer_id -> {node, timer}
          const conversations = new Map(); // conversation_id -> {node, list, seen:Set}

          function setConnection(state, text) { const c = $("connection"); c.dataset.state = state; c.textContent = text; }
          function setPresence(online) {
            const p = $("presence"); p.dataset.state = online ? "online" : "offline";
            p.textContent = online ? "You are online: offers can come in." : "You are offline: no offers.";
          }
          function send(frame) {
            if (!socket || socket.readyState !== WebSocket.OPEN) { announce("Not connected. Your action was not sent."); return null; }
            const id = "c" + (nextClient++);
            frame.client_id = id;
            socket.send(JSON.stringify(frame));
            return id;
          }

          function connect() {
            clearTimeout(reconnectTimer);
            const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
            setConnection(attempts ? "reconnecting" : "connecting", attempts ? "Reconnecting… (attempt " + attempts + ")" : "Connecting…");
            socket = new WebSocket(url);
            socket.onopen = () => { attempts = 0; setConnection("connected", "Connected."); };
            socket.onmessage = (event) => { let f; try { f = JSON.parse(event.data); } catch (e) { return; } handle(f); };
            socket.onclose = () => {
              socket = null;
              attempts += 1;
              if (!navigator.onLine) { setConnection("offline", "No network. You will be taken offline if this lasts; reconnecting when the network is back."); }
              // A signed-out or expired session cannot reconnect: go to sign-in.
              fetch("/", { redirect: "manual", cache: "no-store" }).then((r) => {
                if (r.type === "opaqueredirect" || r.status === 303) { location.href = "/signin"; return; }
                const delay = Math.min(15000, 500 * Math.pow(2, Math.min(attempts, 5)));
                setConnection("reconnecting", "Connection lost. Reconnecting in " + Math.round(delay / 1000) + " s (attempt " + attempts + ")…");
                reconnectTimer = setTimeout(connect, delay);
              }).catch(() => {
                setConnection("offline", "Cannot reach the server. Retrying…");
                reconnectTimer = setTimeout(connect, Math.min(15000, 1000 * attempts));
              });
            };
          }
          window.addEventListener("online", () => { if (!socket) connect(); });
          window.addEventListener("offline", () => setConnection("offline", "No network. Reconnecting when it is back."));

          function handle(f) {
            switch (f.type) {
              case "hello": for (const [, o] of offers) { clearInterval(o.timer); o.node.remove(); } offers.clear(); refreshEmpty(); break;
              case "presence":
                setPresence(!!f.online);
                if (f.surge) $("surge").textContent = f.surge;
                if (typeof f.capacity === "number") $("capacity").textContent = String(f.capacity);
                break;
              case "offer": showOffer(f.body); break;
              case "notice": notice(f.body); break;
              case "assignment": showAssignment(f.body); break;
              case "conversation": showHeld(f.body); break;
              case "customer_message": addLine(f.body.conversation_id, { seq: f.body.seq, message_id: f.body.inquiry_id || f.body.message_id, author: "customer", text: f.body.text, at: f.body.sent_at }); break;
              case "sent": sent(f); break;
              case "error": failed(f); break;
            }
          }

          function refreshEmpty() {
            $("no-offers").hidden = offers.size > 0;
            $("no-conversations").hidden = conversations.size > 0;
            let open = 0; for (const [, c] of conversations) if (!c.closed) open += 1;
            $("load").textContent = String(open);
          }

          function showOffer(o) {
            if (offers.has(o.offer_id)) return;
            $("surge").textContent = surge(o.surge_multiplier_bp);
            const li = el("li", { class: "offer", "data-offer-id": o.offer_id, "aria-labelledby": "offer-h-" + o.offer_id });
            li.append(el("h3", { id: "offer-h-" + o.offer_id }, "New " + (o.vip ? "VIP " : "") + o.service_class + " conversation" + (o.intent ? ": " + o.intent.replace(/_/g, " ") : "")));
            if (o.preview) { const q = el("blockquote", { class: "preview" }); q.textContent = o.preview; li.append(q); }
            const facts = el("p");
            facts.append(el("span", {}, "Language " + o.language + " · waited " + (o.waited_seconds || 0) + " s · surge "), el("strong", { class: "surge" }, surge(o.surge_multiplier_bp)));
            li.append(facts);
            if (o.pay) li.append(el("p", { class: "pay" }, payText(o.pay)));
            const total = Math.max(1, Math.round((Date.parse(o.expires_at) - Date.parse(o.offered_at)) / 1000));
            const receivedAt = Date.now();
            const left = el("p", { class: "countdown", role: "timer", "aria-live": "off" });
            li.append(left);
            const row = el("div", { class: "row" });
            const accept = el("button", { type: "button", class: "accept" }, "Accept");
            const reasonLabel = el("label", { for: "reason-" + o.offer_id }, "Decline reason");
            const reason = el("select", { id: "reason-" + o.offer_id, class: "reason" });
            for (const [v, t] of [["busy", "Busy"], ["skills", "Not my topic"], ["language", "Language"], ["other", "Other"]]) reason.append(el("option", { value: v }, t));
            const decline = el("button", { type: "button", class: "decline secondary" }, "Decline");
            row.append(accept, decline);
            li.append(row, reasonLabel, reason);
            const status = el("p", { class: "offer-status", role: "status" });
            li.append(status);
            accept.onclick = () => { const id = send({ type: "accept", offer_id: o.offer_id }); if (id) { pending.set(id, { kind: "accept", offer: o.offer_id }); accept.disabled = decline.disabled = true; status.textContent = "Accepting…"; } };
            decline.onclick = () => { const id = send({ type: "decline", offer_id: o.offer_id, reason: reason.value }); if (id) { pending.set(id, { kind: "decline", offer: o.offer_id }); accept.disabled = decline.disabled = true; status.textContent = "Declining…"; } };
            const tick = () => {
              const remaining = Math.max(0, total - Math.floor((Date.now() - receivedAt) / 1000));
              left.textContent = remaining > 0 ? remaining + " s left to accept" : "Expired";
              if (remaining === 0) { accept.disabled = decline.disabled = true; clearInterval(timer); setTimeout(() => removeOffer(o.offer_id), 4000); }
            };
            const timer = setInterval(tick, 250); tick();
            offers.set(o.offer_id, { node: li, timer, conversation: o.conversation_id });
            $("offers").prepend(li);
            refreshEmpty();
            announce("New offer. " + left.textContent);
            accept.focus({ preventScroll: true });
          }
          function removeOffer(id) { const o = offers.get(id); if (!o) return; clearInterval(o.timer); o.node.remove(); offers.delete(id); refreshEmpty(); }

          function notice(n) {
            if (n.kind === "offer_withdrawn") {
              const o = offers.get(n.offer_id);
              if (o) { o.node.querySelector(".offer-status").textContent = "Withdrawn: " + n.reason; o.node.querySelectorAll("button").forEach((b) => b.disabled = true); setTimeout(() => removeOffer(n.offer_id), 3000); }
            } else if (n.kind === "conversation_released") {
              const c = conversations.get(n.conversation_id);
              if (c) { closeConversation(c, "Taken back (" + n.reason + ")."); }
            } else if (n.kind === "nudge") {
              const c = conversations.get(n.conversation_id);
              if (c) { c.status.textContent = "The customer is waiting for your reply."; announce("A customer is waiting for your reply."); }
            }
          }

          function conversationView(id, heading) {
            if (conversations.has(id)) return conversations.get(id);
            const node = el("article", { class: "conversation", "data-conversation-id": id, "aria-labelledby": "conv-h-" + id });
            node.append(el("h3", { id: "conv-h-" + id }, heading));
            const context = el("div", { class: "context" });
            const list = el("ol", { class: "transcript", "aria-label": "Transcript", "aria-live": "polite", tabindex: "0" });
            const status = el("p", { class: "conversation-status", role: "status" });
            const form = el("form", { class: "composer" });
            const textId = "text-" + id;
            form.append(el("label", { for: textId }, "Your reply"));
            const text = el("textarea", { id: textId, class: "composer-text", maxlength: "4000", required: "" });
            form.append(text);
            const sendButton = el("button", { type: "submit", class: "send" }, "Send");
            form.append(sendButton);
            form.onsubmit = (e) => {
              e.preventDefault();
              const value = text.value.trim();
              if (!value) return;
              const cid = send({ type: "message", conversation_id: id, text: value });
              if (cid) { pending.set(cid, { kind: "message", conversation: id, text: value }); text.value = ""; status.textContent = "Sending…"; }
            };
            text.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });
            const actions = el("details", { class: "actions" });
            actions.append(el("summary", {}, "Transfer or resolve"));
            const skillId = "skill-" + id, noteId = "note-" + id, outcomeId = "outcome-" + id;
            const skill = el("select", { id: skillId, class: "transfer-skill" });
            for (const [v, t] of [["", "Anyone"], ["payments", "Payments"], ["disputes", "Disputes"], ["fraud", "Fraud"], ["hardship", "Hardship"], ["complaints", "Complaints"], ["privacy", "Privacy"], ["bereavement", "Bereavement"], ["vip", "VIP"]]) skill.append(el("option", { value: v }, t));
            const note = el("input", { id: noteId, class: "transfer-note", maxlength: "500" });
            const transfer = el("button", { type: "button", class: "transfer secondary" }, "Transfer");
            const outcome = el("select", { id: outcomeId, class: "outcome" });
            outcome.append(el("option", { value: "resolved" }, "Resolved"), el("option", { value: "unresolved" }, "Not resolved"));
            const resolve = el("button", { type: "button", class: "resolve" }, "Resolve");
            actions.append(el("label", { for: skillId }, "Transfer to"), skill, el("label", { for: noteId }, "Note for the next agent"), note, transfer,
                           el("label", { for: outcomeId }, "Outcome"), outcome, resolve);
            transfer.onclick = () => { const cid = send({ type: "transfer", conversation_id: id, skill: skill.value, note: note.value }); if (cid) { pending.set(cid, { kind: "transfer", conversation: id }); status.textContent = "Transferring…"; } };
            resolve.onclick = () => { const cid = send({ type: "resolve", conversation_id: id, outcome: outcome.value }); if (cid) { pending.set(cid, { kind: "resolve", conversation: id }); status.textContent = "Resolving…"; } };
            node.append(context, list, status, form, actions);
            $("conversations").append(node);
            const view = { node, list, status, context, form, actions, seen: new Set(), closed: false };
            conversations.set(id, view);
            refreshEmpty();
            return view;
          }

          function addLine(conversationID, entry) {
            const c = conversations.get(conversationID);
            if (!c) return;
            const key = entry.message_id || ("seq-" + entry.seq);
            if (c.seen.has(key)) return;
            c.seen.add(key);
            const li = el("li", { "data-author": entry.author, "data-seq": entry.seq || "" });
            const who = entry.author === "customer" ? "Customer" : entry.author === "agent" ? "You" : entry.author === "ai" ? "AI assistant" : "System";
            li.append(el("span", { class: "author" }, who + (entry.at ? " · " + entry.at.replace("T", " ").replace("Z", "") : "")));
            li.append(document.createTextNode(entry.text));
            c.list.append(li);
            c.list.scrollTop = c.list.scrollHeight;
            if (entry.author === "customer") announce("New message from the customer.");
          }

          function showAssignment(a) {
            for (const [id, o] of offers) if (o.conversation === a.conversation_id) removeOffer(id);
            const c = conversationView(a.conversation_id, a.customer.first_name + (a.customer.vip ? " (VIP)" : "") + " · " + a.channel);
            c.context.textContent = "";
            c.context.append(el("p", { class: "summary" }, a.summary.text));
            if (a.summary.reasons && a.summary.reasons.length) c.context.append(el("p", { class: "hint" }, "Why a person: " + a.summary.reasons.join(", ")));
            if (a.facts && a.facts.length) {
              const facts = el("ul", { class: "facts", "aria-label": "Customer's account facts" });
              for (const f of a.facts) facts.append(el("li", {}, f.summary));
              c.context.append(el("h4", {}, "Account facts"), facts);
            }
            for (const t of a.transcript || []) addLine(a.conversation_id, t);
            announce("Conversation assigned to you.");
          }
          function showHeld(h) {
            const c = conversationView(h.conversation_id, (h.customer_name || "Customer") + (h.vip ? " (VIP)" : ""));
            if (!c.context.textContent) c.context.append(el("p", { class: "hint" }, "The conversation so far:"));
            for (const t of h.transcript || []) addLine(h.conversation_id, t);
          }
          function closeConversation(c, why) {
            c.closed = true; c.status.textContent = why;
            c.form.remove(); c.actions.remove();
            refreshEmpty();
          }

          function sent(f) {
            const p = pending.get(f.client_id); pending.delete(f.client_id);
            if (!p) return;
            if (p.kind === "accept") { const o = offers.get(p.offer); if (o) o.node.querySelector(".offer-status").textContent = "Accepted. The conversation opens in a moment…"; }
            else if (p.kind === "decline") removeOffer(p.offer);
            else if (p.kind === "message") { const c = conversations.get(p.conversation); if (c) { addLine(p.conversation, { message_id: f.message_id, author: "agent", text: p.text }); c.status.textContent = "Sent."; } }
            else if (p.kind === "resolve") { const c = conversations.get(p.conversation); if (c) { closeConversation(c, "Resolved. See your earnings."); const link = el("a", { href: "/earnings", class: "earnings-link" }, "Earnings"); c.node.append(link); } }
            else if (p.kind === "transfer") { const c = conversations.get(p.conversation); if (c) closeConversation(c, "Transferred."); }
          }
          function failed(f) {
            const p = f.client_id ? pending.get(f.client_id) : null;
            if (f.client_id) pending.delete(f.client_id);
            const text = "Not done: " + f.detail + " (" + f.code + ")";
            if (p && p.offer && offers.get(p.offer)) { const o = offers.get(p.offer); o.node.querySelector(".offer-status").textContent = text; o.node.querySelectorAll("button").forEach((b) => b.disabled = false); }
            else if (p && p.conversation && conversations.get(p.conversation)) { conversations.get(p.conversation).status.textContent = text; if (p.text) { const t = conversations.get(p.conversation).node.querySelector(".composer-text"); if (t && !t.value) t.value = p.text; } }
            announce(text);
          }

          $("go-online").onclick = () => send({ type: "online" });
          $("go-offline").onclick = () => send({ type: "offline" });
          connect();
        })();
        """#
}
