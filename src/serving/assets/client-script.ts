/**
 * The small client script (progressive enhancement; every page works without it): the
 * search-as-you-type user picker on the home page, an ARIA combobox backed by GET /api/users.
 * Served as a file from /assets so the Content-Security-Policy can forbid inline script. Kept as
 * a string in a module so `npm run build` ships it without a copy step. Results are inserted
 * with textContent only, never as HTML.
 */
export const CLIENT_SCRIPT = String.raw`"use strict";
(function () {
  function setupPicker(input) {
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
      input.value = option.getAttribute("data-user");
      close();
    }
    function render(users, total) {
      listbox.textContent = "";
      options = [];
      users.forEach(function (user, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-user", user.name);
        var name = document.createElement("span");
        name.textContent = user.name;
        var meta = document.createElement("span");
        meta.className = "option-meta";
        meta.textContent = user.items + (user.items === 1 ? " item" : " items");
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        listbox.appendChild(li);
        options.push(li);
      });
      var open = users.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      if (status) status.textContent = users.length === 0 ? "No matching users" : total + " matching users" + (total > users.length ? ", showing " + users.length : "");
    }
    function search() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch("/api/users?limit=12&query=" + encodeURIComponent(query), { signal: pending.signal, headers: { accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { users: [], total: 0 }; })
        .then(function (body) { if (document.activeElement === input) render(body.users, body.total); })
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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-user-picker]").forEach(setupPicker);
    document.querySelectorAll("form[data-auto-submit]").forEach(autoSubmit);
  });
})();
`;

