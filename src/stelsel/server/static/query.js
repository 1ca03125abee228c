// Enhances the /query page when JavaScript runs: CodeMirror over the textarea. Without it the
// textarea and its buttons work as they are.
(function () {
  "use strict";
  var area = document.querySelector("textarea[data-sparql-editor]");
  if (!area || !window.StelselEditor) return;
  try {
    window.StelselEditor.enhance(area);
    // A long line scrolls sideways: let keyboard users reach that scroll area (WCAG 2.1.1).
    document.querySelectorAll(".sparql-editor .cm-scroller").forEach(function (scroller) {
      scroller.setAttribute("tabindex", "0");
      scroller.setAttribute("aria-label", area.getAttribute("aria-label") || "SPARQL");
    });
  } catch (e) {
    area.hidden = false;  // the plain textarea stays usable
  }
})();
