// Enhances the /query page when JavaScript runs: CodeMirror over the textarea. Without it the
// textarea and its buttons work as they are.
(function () {
  "use strict";
  var area = document.querySelector("textarea[data-sparql-editor]");
  if (!area || !window.StelselEditor) return;
  try {
    window.StelselEditor.enhance(area);
  } catch (e) {
    area.hidden = false;  // the plain textarea stays usable
  }
})();
