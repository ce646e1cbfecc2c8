// The sandbox page: three phones talking to the real bot through the built-in fake Bot API.
// Only textContent is used for message text: nothing a user typed becomes markup.
"use strict";

const state = { prefix: "/fakeapi", personas: [], latestKey: null };

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 3500);
}

// What the fake Bot API's refusals mean to the person at the page (never its raw JSON).
const SEND_ERRORS = {
  "empty text": "请先输入要发送的文字",
};

function sendError(raw) {
  let reason = raw;
  try { reason = JSON.parse(raw).error || raw; } catch (_) { /* not JSON */ }
  return SEND_ERRORS[reason] || "发送失败，请稍后再试";
}

async function postJSON(url, body) {
  const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(await res.text());
  return res.json();
}

class Phone {
  constructor(root) {
    this.root = root;
    this.screen = root.querySelector(".screen");
    this.replyKb = root.querySelector(".reply-keyboard");
    this.chatId = null;
    this.version = 0;
    this.messages = new Map();
    this.generation = 0;
    root.querySelector(".composer").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const input = ev.target.elements.text;
      const text = input.value;
      if (!text.trim()) {
        toast("请先输入要发送的文字");
        input.focus();
        return;
      }
      input.value = "";
      this.send({ text });
    });
    root.querySelectorAll(".extras button").forEach((b) => b.addEventListener("click", () => {
      const kind = b.dataset.extra;
      if (kind.startsWith("text:")) this.send({ text: kind.slice(5) });
      else if (kind === "location") this.send({ location: { latitude: 30.2741, longitude: 120.1551 } });
      else this.send({ [kind]: true });
    }));
  }

  show(persona) {
    if (!persona || persona.chat_id === this.chatId) return;
    this.chatId = persona.chat_id;
    this.version = 0;
    this.messages.clear();
    this.screen.replaceChildren();
    this.replyKb.replaceChildren();
    const label = this.root.querySelector(".persona");
    if (label) label.textContent = persona.name + (persona.unit_name ? " · " + persona.unit_name : "");
    this.generation += 1;
    this.poll(this.generation);
  }

  async send(body) {
    if (this.chatId === null) return;
    try {
      await postJSON(`${state.prefix}/_fake/chats/${this.chatId}/send`, body);
    } catch (err) {
      toast(sendError(err.message));
    }
  }

  async poll(generation) {
    while (generation === this.generation) {
      try {
        const res = await fetch(`${state.prefix}/_fake/chats/${this.chatId}?after=${this.version}&wait=20`);
        if (!res.ok) throw new Error(String(res.status));
        const view = await res.json();
        if (generation !== this.generation) return;
        this.apply(view);
      } catch (err) {
        await new Promise((r) => setTimeout(r, 1500));
      }
    }
  }

  apply(view) {
    for (const m of view.messages) this.messages.set(m.message_id, m);
    // The first load of a chat replays its history: old button answers are not news.
    if (this.version > 0) for (const a of view.callback_answers || []) if (a.text) toast(a.text);
    this.version = view.version;
    this.render(view.reply_keyboard);
  }

  render(replyKeyboard) {
    const atBottom = this.screen.scrollHeight - this.screen.scrollTop - this.screen.clientHeight < 40;
    this.screen.replaceChildren();
    const ids = [...this.messages.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      const m = this.messages.get(id);
      const bubble = el("div", "msg " + (m.from_bot ? "bot" : "user") + (m.deleted ? " deleted" : ""));
      let body = m.text || m.caption || "";
      if (!body) {
        if (m.sticker) body = "[贴纸]";
        else if (m.voice) body = "[语音]";
        else if (m.photo) body = "[照片]";
        else if (m.location) body = `[位置 ${m.location.latitude}, ${m.location.longitude}]`;
        else if (m.contact) body = `[联系方式 ${m.contact.phone_number}]`;
        else body = `[${m.kind || "消息"}]`;
      }
      bubble.append(document.createTextNode(body));
      if (m.edited) bubble.append(el("span", "meta", `已更新 ×${m.edit_count}`));
      const kb = m.reply_markup && m.reply_markup.inline_keyboard;
      if (kb && !m.deleted) {
        const box = el("div", "inline-kb");
        for (const row of kb) {
          const r = el("div", "row");
          for (const btn of row) {
            const b = el("button", "", btn.text);
            b.type = "button";
            b.addEventListener("click", () => {
              if (btn.callback_data) this.send({ message_id: m.message_id, callback_data: btn.callback_data });
              else if (btn.url) window.open(btn.url, "_blank", "noopener");
            });
            r.append(b);
          }
          box.append(r);
        }
        bubble.append(box);
      }
      this.screen.append(bubble);
    }
    this.replyKb.replaceChildren();
    if (replyKeyboard && replyKeyboard.keyboard) {
      for (const row of replyKeyboard.keyboard) {
        const r = el("div", "row");
        for (const btn of row) {
          const label = typeof btn === "string" ? btn : btn.text;
          const b = el("button", "", label);
          b.type = "button";
          b.addEventListener("click", () => this.send({ reply_button: label }));
          r.append(b);
        }
        this.replyKb.append(r);
      }
    }
    if (atBottom) this.screen.scrollTop = this.screen.scrollHeight;
  }
}

const phones = {
  citizen: new Phone(document.getElementById("phone-citizen")),
  officer: new Phone(document.getElementById("phone-officer")),
  chief: new Phone(document.getElementById("phone-chief")),
};
const chiefSelect = document.querySelector("#phone-chief .persona-select");
const follow = document.querySelector("#phone-chief .follow input");

function chiefFor(unitId) {
  return state.personas.find((p) => p.role === "chief" && p.unit_id === unitId);
}

function selectChief(persona) {
  if (!persona) return;
  chiefSelect.value = String(persona.chat_id);
  phones.chief.show(persona);
}

chiefSelect.addEventListener("change", () => {
  follow.checked = false;
  selectChief(state.personas.find((p) => String(p.chat_id) === chiefSelect.value));
});

async function refreshState(first) {
  const res = await fetch("/sandbox/state");
  const s = await res.json();
  state.prefix = s.fake_api_prefix;
  if (first) {
    state.personas = s.personas;
    phones.citizen.show(s.personas.find((p) => p.role === "citizen"));
    phones.officer.show(s.personas.find((p) => p.role === "officer"));
    for (const p of s.personas.filter((p) => p.role === "chief")) {
      const o = el("option", "", p.unit_name);
      o.value = String(p.chat_id);
      chiefSelect.append(o);
    }
    selectChief(chiefFor("dongcheng") || s.personas.find((p) => p.role === "chief"));
  }
  const clock = document.getElementById("clock");
  clock.textContent = s.clock.offset_hours > 0 ? `时钟：已快进 ${s.clock.offset_hours} 小时` : "时钟：实时";
  const latest = document.getElementById("latest");
  if (s.latest_case) {
    const c = s.latest_case;
    latest.textContent = `最新案件 ${c.number || ""}（${c.status_label}）`;
    const owner = c.escalated_to_unit_id || c.owning_unit_id;
    const key = `${c.number}|${owner}`;
    if (follow.checked && key !== state.latestKey) selectChief(chiefFor(owner));
    state.latestKey = key;
  }
}

document.querySelectorAll("[data-advance]").forEach((b) => b.addEventListener("click", async () => {
  try {
    const r = await postJSON("/sandbox/advance", { hours: Number(b.dataset.advance) });
    toast(`已快进，触发了 ${r.fired} 个到期提醒`);
    refreshState(false);
  } catch (err) {
    toast("快进失败：" + err.message);
  }
}));

refreshState(true);
setInterval(() => refreshState(false), 2000);
