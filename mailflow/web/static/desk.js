// Mailflow desk: keyboard shortcuts, evidence highlighting and the catalog
// search. Everything essential works without this file; it only saves time.
(function () {
  "use strict";

  var onQueue = document.body.classList.contains("queue-page");
  var onOrder = document.body.classList.contains("order-page");

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  // -- Evidence: a field highlights the part of the e-mail it was read from.
  function highlight(key) {
    all(".ev.hl").forEach(function (el) { el.classList.remove("hl"); });
    if (!key) { return; }
    var found = all(".ev").filter(function (el) {
      return (el.getAttribute("data-ev") || "").split(" ").indexOf(key) !== -1;
    });
    found.forEach(function (el) { el.classList.add("hl"); });
    if (found.length) { found[0].scrollIntoView({ block: "nearest" }); }
  }

  function fieldKey(target) {
    var field = target.closest && target.closest("[data-field], [data-ev-link]");
    if (!field) { return null; }
    return field.getAttribute("data-field") || field.getAttribute("data-ev-link");
  }

  document.addEventListener("mouseover", function (event) {
    var key = fieldKey(event.target);
    if (key) { highlight(key); }
  });
  document.addEventListener("focusin", function (event) { highlight(fieldKey(event.target)); });

  // -- Queue: a selected row that j/k move and Enter, a, e, r act on.
  var rows = onQueue ? all("tr[data-row]") : [];
  var selected = -1;

  function select(index) {
    if (!rows.length) { return; }
    selected = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) {
      row.classList.toggle("selected", i === selected);
      row.setAttribute("aria-selected", i === selected ? "true" : "false");
    });
    rows[selected].scrollIntoView({ block: "nearest" });
  }

  function openSelected(hash) {
    var href = selected >= 0 && rows[selected].getAttribute("data-href");
    if (href) { window.location.href = href + (hash || ""); }
  }

  function approveSelected() {
    var row = selected >= 0 ? rows[selected] : null;
    var button = row && row.querySelector("form[data-approve] button:not([disabled])");
    if (button) { button.click(); }
  }

  // -- Order page: j/k walk through the fields, which shows their evidence.
  var fields = onOrder ? all("[data-field]") : [];
  var current = -1;

  function step(delta) {
    if (!fields.length) { return; }
    current = Math.max(0, Math.min(fields.length - 1, current + delta));
    var field = fields[current];
    if (field.tabIndex < 0) { field.tabIndex = -1; }
    field.focus();
    highlight(field.getAttribute("data-field"));
  }

  function focusFirst(selector) {
    var el = document.querySelector(selector);
    if (el) { el.focus(); if (el.select) { el.select(); } }
  }

  var queueKeys = {
    j: function () { select(selected + 1); },
    k: function () { select(selected - 1); },
    Enter: function () { openSelected(""); },
    a: approveSelected,
    e: function () { openSelected("#edit"); },
    r: function () { openSelected("#reject"); },
    "/": function () { focusFirst("[data-search]"); }
  };

  var orderKeys = {
    j: function () { step(1); },
    k: function () { step(-1); },
    a: function () { var b = document.getElementById("approve"); if (b && !b.disabled) { b.click(); } },
    e: function () { focusFirst(".sku-input:not([disabled])"); },
    r: function () { focusFirst("#reject-reason"); },
    "/": function () { window.location.href = "/#search"; }
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var keys = onQueue ? queueKeys : (onOrder ? orderKeys : {});
    var action = keys[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  // -- Catalog search as you type, into the product field's datalist.
  var timers = new WeakMap();

  function fillList(input, items) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    list.textContent = "";
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.sku;
      option.label = item.name;
      option.textContent = item.name;
      list.appendChild(option);
    });
    var name = input.closest("form").querySelector(".product-name");
    var exact = items.filter(function (item) { return item.sku === input.value.trim().toUpperCase(); });
    if (name && exact.length) { name.textContent = exact[0].name; }
  }

  function search(input) {
    var typed = input.value.trim();
    if (!typed) { return; }
    fetch("/api/catalog?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) { fillList(input, data.items || []); })
      .catch(function () { /* the field still takes a code typed in full */ });
  }

  all("input[data-catalog]").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timers.get(input));
      timers.set(input, setTimeout(function () { search(input); }, 120));
    });
  });

  // -- Arriving from the queue with a shortcut.
  if (onQueue) {
    select(0);
    if (window.location.hash === "#search") { focusFirst("[data-search]"); }
  }
  if (onOrder && window.location.hash === "#edit") { orderKeys.e(); }
  if (onOrder && window.location.hash === "#reject") { orderKeys.r(); }
}());
