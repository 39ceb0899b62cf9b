/*
 * Onco-chat: embeddable chat widget for the Rasa socket.io channel.
 *
 * Embed:  <div id="onco-chat" data-server-url="https://assistant.example.fr"></div>
 *         <script src="https://assistant.example.fr/widget/widget.js" defer></script>
 *
 * Works under a strict Content-Security-Policy: no inline script or style, no eval, and no
 * HTML built from strings; every node is created with the DOM API and every text coming from
 * the user or the bot is set with textContent.
 */
(function () {
  "use strict";

  var ROOT_ID = "onco-chat";
  var STORAGE_PREFIX = "onco-chat:";
  var MAX_STORED_MESSAGES = 200;
  var MAX_INPUT_LENGTH = 1000;
  var REPLY_TIMEOUT_MS = 30000;
  // Rasa's socket.io channel sends an answer as several messages (the session-start notice,
  // then one per paragraph, the buttons with the last) and never says it is done: the
  // typing indicator stays on until a message brings buttons or none came for SETTLE_MS.
  var SETTLE_MS = 800;
  var DEFAULTS = {
    title: "Assistant d'information cancer",
    welcome:
      "Bonjour, je réponds à des questions générales sur les traitements du cancer, " +
      "les essais cliniques et les aides possibles. Je ne remplace pas votre équipe soignante.",
    primaryColor: "#00558c",
    socketPath: "/socket.io",
    storage: "session",
  };
  var TEXT = {
    launcherOpen: "Poser une question",
    close: "Fermer la discussion",
    newConversation: "Nouvelle conversation",
    emergency: "Urgence : appelez le 15",
    emergencyMore: " (ou le 112 ; 114 par SMS)",
    logLabel: "Messages de la conversation",
    inputLabel: "Votre question",
    inputPlaceholder: "Écrivez votre question…",
    send: "Envoyer",
    privacy: "N'écrivez ni nom, ni numéro de sécurité sociale, ni numéro de dossier.",
    you: "Vous : ",
    bot: "Assistant : ",
    typing: "L'assistant écrit…",
    repliesLabel: "Réponses proposées",
    newWindow: " (nouvelle fenêtre)",
    connecting: "Connexion au service…",
    connected: "Connecté.",
    reconnecting: "Connexion perdue. Nouvelle tentative en cours…",
    reconnected: "Connexion rétablie.",
    noReply: "Pas de réponse pour le moment. Réessayez dans un instant.",
    restarted: "Nouvelle conversation commencée.",
    scriptError: "Le service de discussion est indisponible pour le moment.",
  };

  // ---------------------------------------------------------------- helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function hiddenText(text) {
    return el("span", "onco-sr-only", text);
  }

  function scriptBase() {
    var script = document.currentScript;
    if (!script) {
      var candidates = document.querySelectorAll("script[src]");
      for (var i = 0; i < candidates.length; i++) {
        if (/widget(\.min)?\.js(\?|#|$)/.test(candidates[i].src)) script = candidates[i];
      }
    }
    var src = script && script.src ? script.src : window.location.href;
    return new URL(".", src).href;
  }

  function safeStorage(kind) {
    try {
      var store = kind === "local" ? window.localStorage : window.sessionStorage;
      var probe = STORAGE_PREFIX + "probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (e) {
      var memory = {};
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; },
      };
    }
  }

  // WCAG relative luminance and contrast ratio, to pick a readable text colour for any brand colour.
  function luminance(hex) {
    var h = hex.replace("#", "");
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    var rgb = [0, 2, 4].map(function (i) {
      var c = parseInt(h.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function applyColors(root, color) {
    var primary = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color || "") ? color : DEFAULTS.primaryColor;
    var dark = "#1a1a1a";
    var onPrimary = contrast(primary, "#ffffff") >= 4.5 ? "#ffffff" : dark;
    var primaryText = contrast(primary, "#ffffff") >= 4.5 ? primary : dark;
    root.style.setProperty("--onco-primary", primary);
    root.style.setProperty("--onco-on-primary", onPrimary);
    root.style.setProperty("--onco-primary-text", primaryText);
  }

  // ------------------------------------------------------- safe text → DOM

  // [label](https://…) markdown links, bare http(s) URLs, e-mail addresses, www. hosts and
  // bare domains in common TLDs (e.g. e-cancer.fr/...).
  var LINK_RE = new RegExp(
    "\\[([^\\]\\n]{1,200})\\]\\((https?:\\/\\/[^\\s)]+)\\)" +
      "|(https?:\\/\\/[^\\s<>\"«»]+)" +
      "|([a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\\.[a-z0-9-]{1,63})*\\.[a-z]{2,24})" +
      "|\\b((?:www\\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9-]{1,63})*\\.(?:fr|org|com|eu|net|info)(?:\\/[^\\s<>\"«»]*)?)",
    "gi"
  );
  var BOLD_RE = /\*\*([^*\n]{1,300})\*\*/g;

  function trimUrl(url) {
    var trailing = "";
    while (/[.,;:!?)\]'’]$/.test(url)) {
      var last = url.slice(-1);
      if (last === ")" && (url.match(/\(/g) || []).length >= (url.match(/\)/g) || []).length) break;
      trailing = last + trailing;
      url = url.slice(0, -1);
    }
    return [url, trailing];
  }

  function safeHref(raw) {
    if (/^mailto:[^\s/:]+@[^\s/:]+$/i.test(raw)) return raw;
    try {
      var candidate = /^https?:\/\//i.test(raw) ? raw : "https://" + raw;
      var url = new URL(candidate);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function makeLink(label, href) {
    var a = el("a", "onco-link", label);
    a.href = href;
    if (href.indexOf("mailto:") !== 0) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(hiddenText(TEXT.newWindow));
    }
    return a;
  }

  function appendWithBold(parent, text) {
    var last = 0;
    var match;
    BOLD_RE.lastIndex = 0;
    while ((match = BOLD_RE.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(el("strong", null, match[1]));
      last = match.index + match[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendRichLine(parent, line) {
    var last = 0;
    var match;
    LINK_RE.lastIndex = 0;
    while ((match = LINK_RE.exec(line)) !== null) {
      var start = match.index;
      var label;
      var raw;
      var tail = "";
      if (match[1]) {
        label = match[1];
        raw = match[2];
      } else if (match[4]) {
        label = match[4];
        raw = "mailto:" + match[4];
      } else {
        var parts = trimUrl(match[3] || match[5]);
        raw = parts[0];
        tail = parts[1];
        label = raw;
      }
      var href = safeHref(raw);
      if (!href) continue;
      if (start > last) appendWithBold(parent, line.slice(last, start));
      parent.appendChild(makeLink(label, href));
      if (tail) parent.appendChild(document.createTextNode(tail));
      last = start + match[0].length;
    }
    if (last < line.length) appendWithBold(parent, line.slice(last));
  }

  function renderRichText(container, text) {
    String(text)
      .split(/\n{2,}/)
      .forEach(function (paragraph) {
        var p = el("p", "onco-paragraph");
        paragraph.split("\n").forEach(function (line, index) {
          if (index > 0) p.appendChild(document.createElement("br"));
          appendRichLine(p, line);
        });
        container.appendChild(p);
      });
  }

  // ------------------------------------------------------------------ widget

  function OncoChat(root) {
    var data = root.dataset;
    this.root = root;
    this.serverUrl = (data.serverUrl || window.location.origin).replace(/\/+$/, "");
    this.socketPath = data.socketPath || DEFAULTS.socketPath;
    this.title = data.title || DEFAULTS.title;
    this.welcome = data.welcome === undefined ? DEFAULTS.welcome : data.welcome;
    this.initialPayload = data.initialPayload || "";
    this.storage = safeStorage(data.storage === "local" ? "local" : DEFAULTS.storage);
    this.storageKey = STORAGE_PREFIX + this.serverUrl;
    this.state = this.load();
    this.socket = null;
    this.ready = false;
    this.everConnected = false;
    this.pending = [];
    this.replyTimer = null;
    this.greeted = false;
    this.confirmStatus = "";
    applyColors(root, data.primaryColor);
    this.build();
    this.restore();
    if (this.state.open || data.open === "true") this.setOpen(true, false);
  }

  OncoChat.prototype.load = function () {
    try {
      var raw = this.storage.getItem(this.storageKey);
      var parsed = raw ? JSON.parse(raw) : null;
      if (parsed && Array.isArray(parsed.messages)) return parsed;
    } catch (e) {
      /* corrupted entry: start afresh */
    }
    return { sessionId: null, messages: [], open: false };
  };

  OncoChat.prototype.save = function () {
    this.state.messages = this.state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      this.storage.setItem(this.storageKey, JSON.stringify(this.state));
    } catch (e) {
      /* quota exceeded or storage blocked: the conversation simply won't survive a reload */
    }
  };

  OncoChat.prototype.build = function () {
    var self = this;
    var root = this.root;
    root.classList.add("onco-chat");
    root.replaceChildren();

    this.launcher = el("button", "onco-launcher", TEXT.launcherOpen);
    this.launcher.type = "button";
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-controls", "onco-chat-panel");

    var panel = el("section", "onco-panel");
    panel.id = "onco-chat-panel";
    panel.hidden = true;
    panel.setAttribute("aria-labelledby", "onco-chat-title");
    this.panel = panel;

    var header = el("div", "onco-header");
    var title = el("h2", "onco-title", this.title);
    title.id = "onco-chat-title";
    var tools = el("div", "onco-tools");
    this.newButton = el("button", "onco-new", TEXT.newConversation);
    this.newButton.type = "button";
    this.closeButton = el("button", "onco-close");
    this.closeButton.type = "button";
    this.closeButton.setAttribute("aria-label", TEXT.close);
    this.closeButton.appendChild(el("span", "onco-close-icon", "×")).setAttribute("aria-hidden", "true");
    tools.append(this.closeButton);
    header.append(title, tools);

    var emergency = el("p", "onco-emergency");
    var tel = el("a", "onco-emergency-link", TEXT.emergency);
    tel.href = "tel:15";
    emergency.append(tel, document.createTextNode(TEXT.emergencyMore));

    var toolbar = el("div", "onco-toolbar");
    this.status = el("p", "onco-status", TEXT.connecting);
    this.status.setAttribute("role", "status");
    toolbar.append(this.status, this.newButton);

    this.log = el("div", "onco-log");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-label", TEXT.logLabel);
    this.log.tabIndex = 0;

    this.typing = el("p", "onco-typing");
    this.typing.hidden = true;
    var dots = el("span", "onco-dots");
    dots.setAttribute("aria-hidden", "true");
    dots.append(el("span"), el("span"), el("span"));
    this.typing.append(dots, el("span", "onco-typing-text", TEXT.typing));

    var form = el("form", "onco-form");
    form.noValidate = true;
    var label = el("label", "onco-label", TEXT.inputLabel);
    label.htmlFor = "onco-chat-input";
    var row = el("div", "onco-row");
    this.input = el("input", "onco-input");
    this.input.id = "onco-chat-input";
    this.input.type = "text";
    this.input.autocomplete = "off";
    this.input.maxLength = MAX_INPUT_LENGTH;
    this.input.placeholder = TEXT.inputPlaceholder;
    this.input.setAttribute("aria-describedby", "onco-chat-privacy");
    var send = el("button", "onco-send", TEXT.send);
    send.type = "submit";
    row.append(this.input, send);
    var privacy = el("p", "onco-privacy", TEXT.privacy);
    privacy.id = "onco-chat-privacy";
    form.append(label, row, privacy);

    panel.append(header, emergency, toolbar, this.log, this.typing, form);
    root.append(panel, this.launcher);

    this.launcher.addEventListener("click", function () {
      self.setOpen(self.panel.hidden, true);
    });
    this.closeButton.addEventListener("click", function () {
      self.setOpen(false, true);
    });
    this.newButton.addEventListener("click", function () {
      self.newConversation();
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.setOpen(false, true);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) return;
      self.input.value = "";
      self.send(text, text);
    });
  };

  OncoChat.prototype.setOpen = function (open, moveFocus) {
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    this.root.classList.toggle("onco-chat--open", open);
    this.state.open = open;
    this.save();
    if (open) {
      this.connect();
      this.scrollToEnd();
      if (moveFocus) this.input.focus();
    } else if (moveFocus) {
      this.launcher.focus();
    }
  };

  // ------------------------------------------------------------ rendering

  OncoChat.prototype.restore = function () {
    var messages = this.state.messages;
    if (this.welcome) this.renderMessage({ from: "bot", text: this.welcome, welcome: true });
    // quick replies stay usable only for the last bot message that has some, after the
    // user's last message
    var active = -1;
    for (var j = messages.length - 1; j >= 0 && messages[j].from !== "user"; j--) {
      if (messages[j].replies && messages[j].replies.length) {
        active = j;
        break;
      }
    }
    for (var i = 0; i < messages.length; i++) {
      this.renderMessage(messages[i], i === active);
    }
  };

  OncoChat.prototype.renderMessage = function (message, withReplies) {
    var bubble = el("div", "onco-msg onco-msg--" + (message.from === "user" ? "user" : "bot"));
    if (message.welcome) bubble.classList.add("onco-msg--welcome");
    bubble.appendChild(hiddenText(message.from === "user" ? TEXT.you : TEXT.bot));
    if (message.from === "user") {
      bubble.appendChild(el("p", "onco-paragraph", message.text));
    } else {
      renderRichText(bubble, message.text || "");
    }
    this.log.appendChild(bubble);
    if (withReplies && message.replies && message.replies.length) this.renderReplies(message.replies);
    this.scrollToEnd();
  };

  OncoChat.prototype.renderReplies = function (replies) {
    var self = this;
    var group = el("div", "onco-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", TEXT.repliesLabel);
    replies.forEach(function (reply) {
      var button = el("button", "onco-reply", reply.title);
      button.type = "button";
      button.addEventListener("click", function () {
        self.send(reply.title, reply.payload);
        self.input.focus();
      });
      group.appendChild(button);
    });
    this.log.appendChild(group);
  };

  OncoChat.prototype.clearReplies = function () {
    var groups = this.log.querySelectorAll(".onco-replies");
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  };

  OncoChat.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  OncoChat.prototype.setStatus = function (text, kind) {
    this.status.textContent = text;
    this.status.className = "onco-status" + (kind ? " onco-status--" + kind : "");
  };

  OncoChat.prototype.setTyping = function (on) {
    var self = this;
    this.typing.hidden = !on;
    clearTimeout(this.replyTimer);
    clearTimeout(this.settleTimer);
    if (on) {
      this.replyTimer = setTimeout(function () {
        self.typing.hidden = true;
        self.setStatus(TEXT.noReply, "warning");
      }, REPLY_TIMEOUT_MS);
    }
  };

  // ------------------------------------------------------------ messaging

  OncoChat.prototype.send = function (title, payload) {
    var text = String(title).slice(0, MAX_INPUT_LENGTH);
    this.clearReplies();
    var message = { from: "user", text: text };
    this.state.messages.push(message);
    this.save();
    this.renderMessage(message, false);
    this.setTyping(true);
    this.pending.push(String(payload).slice(0, MAX_INPUT_LENGTH));
    this.flush();
  };

  OncoChat.prototype.flush = function () {
    if (!this.ready || !this.socket) return;
    while (this.pending.length) {
      this.socket.emit("user_uttered", {
        message: this.pending.shift(),
        session_id: this.state.sessionId,
        customData: { language: "fr" },
      });
    }
  };

  OncoChat.prototype.onBotMessage = function (payload) {
    if (!payload || typeof payload !== "object") return;
    var text = typeof payload.text === "string" ? payload.text : "";
    var source = Array.isArray(payload.quick_replies) ? payload.quick_replies : payload.buttons;
    var replies = (Array.isArray(source) ? source : [])
      .filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string";
      })
      .map(function (b) {
        return { title: b.title, payload: b.payload };
      });
    if (!text && !replies.length) return;
    this.botReplied(replies.length > 0);
    if (replies.length) this.clearReplies();
    var message = { from: "bot", text: text, replies: replies };
    this.state.messages.push(message);
    this.save();
    this.renderMessage(message, true);
  };

  // A bot message arrived: the answer is complete when it brings buttons; otherwise more
  // paragraphs may follow, so the indicator waits SETTLE_MS for the next one.
  OncoChat.prototype.botReplied = function (complete) {
    var self = this;
    clearTimeout(this.replyTimer);
    clearTimeout(this.settleTimer);
    if (complete || this.typing.hidden) {
      this.typing.hidden = true;
      return;
    }
    this.settleTimer = setTimeout(function () {
      self.typing.hidden = true;
    }, SETTLE_MS);
  };

  OncoChat.prototype.requestSession = function () {
    this.socket.emit("session_request", this.state.sessionId ? { session_id: this.state.sessionId } : {});
  };

  OncoChat.prototype.connect = function () {
    var self = this;
    // io() is not there yet while vendor/socket.io.min.js loads: start() calls connect() again.
    if (this.socket || typeof window.io !== "function") return;
    var socket = window.io(this.serverUrl, {
      path: this.socketPath,
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on("connect", function () {
      self.requestSession();
    });
    socket.on("session_confirm", function (sessionId) {
      var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
      if (!id) return;
      self.state.sessionId = id;
      self.save();
      self.ready = true;
      self.setStatus(self.confirmStatus || (self.everConnected ? TEXT.reconnected : TEXT.connected), "ok");
      self.confirmStatus = "";
      self.everConnected = true;
      self.flush();
      if (self.initialPayload && !self.state.messages.length && !self.greeted) {
        self.greeted = true;
        self.setTyping(true);
        self.pending.push(self.initialPayload);
        self.flush();
      }
    });
    socket.on("bot_uttered", function (payload) {
      self.onBotMessage(payload);
    });
    socket.on("disconnect", function (reason) {
      self.ready = false;
      if (reason !== "io client disconnect") self.setStatus(TEXT.reconnecting, "warning");
    });
    socket.on("connect_error", function () {
      self.ready = false;
      self.setStatus(self.everConnected ? TEXT.reconnecting : TEXT.connecting, "warning");
    });
  };

  OncoChat.prototype.newConversation = function () {
    this.state = { sessionId: null, messages: [], open: true };
    this.pending = [];
    this.greeted = false;
    this.save();
    this.setTyping(false);
    this.log.replaceChildren();
    this.restore();
    if (this.socket) {
      // A fresh socket leaves the old session's room, so no late reply of the old
      // conversation can show up in the new one.
      this.ready = false;
      this.socket.disconnect();
      this.socket.connect();
    } else {
      this.connect();
    }
    this.confirmStatus = TEXT.restarted;
    this.input.focus();
  };

  // ------------------------------------------------------------ bootstrap

  function loadOnce(tag, attrs, test) {
    return new Promise(function (resolve, reject) {
      if (test && test()) return resolve();
      var node = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) {
        node[k] = attrs[k];
      });
      node.addEventListener("load", function () { resolve(); });
      node.addEventListener("error", function () { reject(new Error("cannot load " + (attrs.src || attrs.href))); });
      document.head.appendChild(node);
    });
  }

  function start() {
    var root = document.getElementById(ROOT_ID);
    if (!root || root.dataset.oncoChatReady) return;
    root.dataset.oncoChatReady = "true";
    var base = scriptBase();
    var css = root.dataset.stylesheet === "none"
      ? Promise.resolve()
      : loadOnce("link", { rel: "stylesheet", href: base + "widget.css" }).catch(function () {});
    var io = loadOnce("script", { src: base + "vendor/socket.io.min.js", async: true }, function () {
      return typeof window.io === "function";
    });
    css.then(function () {
      var widget = new OncoChat(root);
      io.then(
        function () {
          if (!widget.panel.hidden) widget.connect();
        },
        function () {
          widget.setStatus(TEXT.scriptError, "error");
        }
      );
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
