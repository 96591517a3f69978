/**
 * The small client script (progressive enhancement; every page works without it): the
 * search-as-you-type pickers, ARIA comboboxes backed by GET /api/users (listeners: home and radio
 * pages) and GET /api/seeds (the radio's seeds).
 * Served as a file from /assets so the Content-Security-Policy can forbid inline script. Kept as
 * a string in a module so `npm run build` ships it without a copy step. Results are inserted
 * with textContent only, never as HTML.
 */
export const CLIENT_SCRIPT = String.raw`"use strict";
(function () {
  // What each kind of picker asks and how it lists an answer.
  var SOURCES = {
    users: {
      url: "/api/users?limit=12&query=",
      list: function (body) { return body.users; },
      meta: function (user) { return user.items + (user.items === 1 ? " item" : " items"); },
      noun: "users"
    },
    seeds: {
      url: "/api/seeds?limit=12&query=",
      list: function (body) { return body.seeds; },
      meta: function (seed) { return seed.kind + " · " + seed.listeners + (seed.listeners === 1 ? " listener" : " listeners"); },
      noun: "artists and tracks"
    }
  };

  function setupPicker(input, source) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    if (!listbox) return;
    var status = document.getElementById(input.id + "-status");
    var options = [];
    var active = -1;
    var pending = null;
    var timer = 0;
    var lastQuery = null;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      for (var i = 0; i < options.length; i++) options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function choose(index) {
      var option = options[index];
      if (!option) return;
      input.value = option.getAttribute("data-value");
      close();
    }
    function render(matches, total) {
      listbox.textContent = "";
      options = [];
      matches.forEach(function (match, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-value", match.name);
        var name = document.createElement("span");
        name.textContent = match.name;
        var meta = document.createElement("span");
        meta.className = "option-meta";
        meta.textContent = source.meta(match);
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        listbox.appendChild(li);
        options.push(li);
      });
      var open = matches.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      if (status) status.textContent = matches.length === 0 ? "No matching " + source.noun : total + " matching " + source.noun + (total > matches.length ? ", showing " + matches.length : "");
    }
    function search() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(source.url + encodeURIComponent(query), { signal: pending.signal, headers: { accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) { if (document.activeElement === input) render(body ? source.list(body) : [], body ? body.total : 0); })
        .catch(function () { /* aborted by a newer keystroke */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 90);
    });
    input.addEventListener("focus", function () { lastQuery = null; search(); });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { lastQuery = null; search(); return; }
        highlight(Math.min(options.length - 1, active + 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) highlight(Math.max(0, active - 1));
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });
  }

  function autoSubmit(form) {
    form.querySelectorAll("input[type=checkbox], input[type=range], select").forEach(function (control) {
      control.addEventListener("change", function () { form.requestSubmit(); });
    });
  }

  // The familiar ↔ new slider is sent only while its checkbox is on.
  function setupDial(checkbox) {
    var dial = checkbox.closest(".dial");
    var slider = dial && dial.querySelector("input[type=range]");
    if (!slider) return;
    checkbox.addEventListener("change", function () { slider.disabled = !checkbox.checked; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".dial input[name=dial]").forEach(setupDial);
    document.querySelectorAll("input[data-user-picker]").forEach(function (input) { setupPicker(input, SOURCES.users); });
    document.querySelectorAll("input[data-seed-picker]").forEach(function (input) { setupPicker(input, SOURCES.seeds); });
    document.querySelectorAll("form[data-auto-submit]").forEach(autoSubmit);
  });
})();
`;

