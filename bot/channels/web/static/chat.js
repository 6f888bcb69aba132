// The web chat without reloads: the same forms, posted with fetch; the server answers
// with the new page part (JSON), which replaces the old one. Without this script every
// form still works (post, redirect, get). No framework, no inline script (CSP).
(function () {
  "use strict";
  var busy = false;

  function focusLatest() {
    var latest = document.getElementById("latest");
    if (latest) {
      latest.focus({ preventScroll: true });
      latest.scrollIntoView({ block: "start" });
    }
  }

  function swap(data) {
    if (data.location) {
      window.location.assign(data.location);
      return;
    }
    var page = document.getElementById("page");
    page.innerHTML = data.html;
    document.title = data.title;
    document.documentElement.lang = data.lang;
    document.documentElement.dir = data.dir;
    focusLatest();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("chat-form") || !window.fetch) return;
    var button = event.submitter;
    // A button to another address (leaving this device) leaves the page: no script.
    if (button && button.hasAttribute("formaction")) return;
    event.preventDefault();
    if (busy) return; // one step at a time: a double click counts once
    busy = true;
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { body.append(name, value); });
    if (button && button.name) body.append(button.name, button.value);
    form.classList.add("busy");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(swap).catch(function () {
      // The page without the script still knows what to do: post it the plain way.
      if (button && button.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = button.name;
        pressed.value = button.value;
        form.appendChild(pressed);
      }
      form.submit();
    }).then(function () { busy = false; });
  });

  if (window.location.hash === "#latest") focusLatest();
})();
