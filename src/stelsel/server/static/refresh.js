// A page that waits for the validation (an element [data-refresh-when-ready]) asks every few
// seconds whether it is done, and reloads itself when it is. Without JavaScript the text says to
// reload by hand. An external file, so the Content-Security-Policy needs no inline script.
(function () {
  "use strict";
  if (!document.querySelector("[data-refresh-when-ready]")) return;
  var tries = 0;
  function poll() {
    fetch("/validatie.json?ernst=violation&pagina=1", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.state && d.state !== "running") { window.location.reload(); }
        else if (++tries < 200) { window.setTimeout(poll, 3000); }
      })
      .catch(function () { if (++tries < 200) window.setTimeout(poll, 6000); });
  }
  window.setTimeout(poll, 3000);
})();
